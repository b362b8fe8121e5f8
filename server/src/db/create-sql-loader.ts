import { readFileSync } from "node:fs";

/**
 * A loader for a capability's `sql/<name>.sql` files (docs/architecture.md#how-the-code-reads: SQL lives in `.sql`
 * files, each
 * headed by its parameters), reading each file once. Pass the capability's `import.meta.url`.
 */
export function createSqlLoader(moduleUrl: string): (name: string) => string {
  const cache = new Map<string, string>();
  return (name) => {
    let text = cache.get(name);
    if (text === undefined) {
      text = readFileSync(new URL(`./sql/${name}.sql`, moduleUrl), "utf8");
      cache.set(name, text);
    }
    return text;
  };
}

import { readFileSync } from "node:fs";

const cache = new Map<string, string>();

/** Reads `sql/<name>.sql` once (STYLE §3: SQL lives in `.sql` files, each headed by its parameters). */
export function loadSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), "utf8");
    cache.set(name, text);
  }
  return text;
}

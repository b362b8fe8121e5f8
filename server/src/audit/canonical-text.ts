/**
 * The same bytes as `canonicalJson` (shared/canonical-json.ts) for JSON data, built with plain
 * loops and string appends: appends hash every event, and the generic version's
 * entries/filter/map/join arrays made canonical JSON the largest Node-side cost of an append.
 * Key order is code-unit order, as there; keys already in order (the common case) skip the sort.
 * @throws TypeError for what JSON cannot hold, as canonicalJson does
 */
export function canonicalText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonical JSON cannot hold a non-finite number");
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return arrayText(value);
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      return objectText(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function arrayText(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    const item = items[i];
    out += item === undefined ? "null" : canonicalText(item);
  }
  return `${out}]`;
}

function objectText(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  if (!inOrder(keys)) keys.sort(byCodeUnit);
  let out = "{";
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalText(v)}`;
    first = false;
  }
  return `${out}}`;
}

function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

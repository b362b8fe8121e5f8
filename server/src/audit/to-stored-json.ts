import { isSecretKey, redactInline, REDACTED } from "./redact-secrets.js";

const MAX_DEPTH = 64;
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A copy of `value` as the log stores it, in one walk:
 * - secrets redacted: the value of any key that names one (isSecretKey), at any depth, and
 *   credentials quoted inside strings — secrets never enter the log (docs/contracts.md#audit-event), and redacting
 *   before hashing keeps the chain valid;
 * - plain JSON data: Dates become ISO strings, undefined members go, -0 becomes 0 — exactly
 *   what reading the stored jsonb back gives;
 * - U+0000 and lone UTF-16 surrogates become U+FFFD: PostgreSQL text and jsonb cannot hold
 *   them, and evidence scraped from the web may contain them.
 * @throws TypeError for what JSON cannot hold (non-finite numbers, bigint, functions, nesting
 * deeper than 64)
 */
export function toStoredJson(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "string":
      return scrub(redactInline(value));
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("a non-finite number cannot be stored");
      return value === 0 ? 0 : value;
    case "boolean":
      return value;
    case "object":
      if (value === null) return null;
      if (depth >= MAX_DEPTH) throw new TypeError(`nesting deeper than ${MAX_DEPTH} levels`);
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toStoredJson(v, depth + 1)));
      return storedObject(value as Record<string, unknown>, depth);
    default:
      throw new TypeError(`a ${typeof value} cannot be stored`);
  }
}

function storedObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  // No prototype: a `__proto__` key is stored like any other instead of vanishing.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue;
    out[scrub(key)] = v !== null && isSecretKey(key) ? REDACTED : toStoredJson(v, depth + 1);
  }
  return out;
}

function scrub(s: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE, "\ufffd") : s;
}

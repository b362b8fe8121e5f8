import { z } from "zod";

/** How deep agent-supplied JSON (evidence) may nest: real evidence bundles use a handful. */
export const MAX_EVIDENCE_DEPTH = 32;
/** How large it may be, as JSON text: it is kept whole in the audit. */
export const MAX_EVIDENCE_BYTES = 65_536;

type Copy = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * A copy of JSON data whose objects have no prototype, so keys such as `__proto__` or
 * `constructor` stay ordinary keys (an assignment to `__proto__` on a plain object would change
 * its prototype and the key would silently vanish from the audit), or why it is refused.
 */
function copyJson(value: unknown, depth: number, maxDepth: number): Copy {
  if (value === null || typeof value === "string" || typeof value === "boolean") return { ok: true, value };
  if (typeof value === "number")
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: "expected finite numbers" };
  if (typeof value !== "object") return { ok: false, message: `a ${typeof value} is not JSON` };
  if (depth >= maxDepth) return { ok: false, message: `nests deeper than ${maxDepth} levels` };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const c = copyJson(item, depth + 1, maxDepth);
      if (!c.ok) return c;
      out.push(c.value);
    }
    return { ok: true, value: out };
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const c = copyJson((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (!c.ok) return c;
    out[key] = c.value;
  }
  return { ok: true, value: out };
}

/**
 * Agent-supplied JSON (evidence): at most `maxDepth` levels and `maxBytes` of JSON text, copied
 * onto prototype-free objects so no key vanishes. Too deep or too large is a validation issue
 * naming the limit (a 400), never a crash.
 */
export function boundedJson(maxDepth = MAX_EVIDENCE_DEPTH, maxBytes = MAX_EVIDENCE_BYTES) {
  return z.unknown().transform((value, ctx) => {
    const bound = boundJson(value, maxDepth, maxBytes);
    if (!bound.ok) {
      ctx.addIssue({ code: "custom", message: bound.message });
      return z.NEVER;
    }
    return bound.value;
  });
}

/**
 * The same rule outside zod (evidence an agent wrote into a CRM property): a prototype-free
 * copy within the limits, or the limit it breaks, named.
 */
export function boundJson(value: unknown, maxDepth = MAX_EVIDENCE_DEPTH, maxBytes = MAX_EVIDENCE_BYTES): Copy {
  const copy = copyJson(value, 0, maxDepth);
  if (!copy.ok) return { ok: false, message: `${copy.message} (limit: ${maxDepth} levels)` };
  const bytes = Buffer.byteLength(JSON.stringify(copy.value), "utf8");
  if (bytes > maxBytes) return { ok: false, message: `is ${bytes} bytes of JSON (limit: ${maxBytes})` };
  return copy;
}

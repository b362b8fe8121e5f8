import { auditEventInputSchema } from "../../../shared/audit-event.js";
import { canonicalJson } from "../../../shared/canonical-json.js";
import { ValidationError } from "../errors/index.js";
import { splitAroundPrevHash } from "./compute-event-hash.js";
import { redactFieldDiffs, redactSecrets } from "./redact-secrets.js";

/** An event ready for the chain: everything but prev_hash and hash. */
export interface PreparedEvent {
  tenantId: string;
  /** Plain JSON data: what JSON.parse of its canonical form gives. */
  body: Record<string, unknown>;
  /** Its canonical JSON around prev_hash (see splitAroundPrevHash). */
  head: string;
  tail: string;
}

export interface PrepareContext {
  now: Date;
  newId: (now: Date) => string;
}

/**
 * Validates one input with the shared zod schema (unknown top-level keys are dropped), redacts
 * secrets, and adds event_id, recorded_at and occurred_at (default: now; both normalised to
 * UTC ISO-8601 with milliseconds, as R5 asks for UTC). Throws ValidationError, with zod's
 * issues as details, for anything the log cannot hold faithfully — nothing is written then.
 */
export function prepareEvent(input: unknown, ctx: PrepareContext): PreparedEvent {
  const parsed = auditEventInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError("invalid audit event", parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })));
  }
  const { occurred_at, field_diffs, ...rest } = parsed.data;
  const event = {
    ...(redactSecrets(rest) as typeof rest),
    field_diffs: redactSecrets(redactFieldDiffs(field_diffs)),
    event_id: ctx.newId(ctx.now),
    occurred_at: occurred_at === undefined ? ctx.now.toISOString() : new Date(occurred_at).toISOString(),
    recorded_at: ctx.now.toISOString(),
  };
  let text: string;
  try {
    text = canonicalJson(toStorable(event));
  } catch (err) {
    throw new ValidationError(`audit event cannot be stored as JSON: ${(err as Error).message}`, [{ path: [], message: (err as Error).message }]);
  }
  const body = JSON.parse(text) as Record<string, unknown>;
  return { tenantId: parsed.data.tenant_id, body, ...splitAroundPrevHash(body) };
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000 or a lone UTF-16 surrogate, and evidence
 * scraped from the web may contain either; both become U+FFFD rather than failing the audit.
 */
function toStorable(value: unknown, depth = 0): unknown {
  if (depth > 64) throw new TypeError("nesting deeper than 64 levels");
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((v) => toStorable(v, depth + 1));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrub(k)] = toStorable(v, depth + 1);
    return out;
  }
  return value;
}

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function scrub(s: string): string {
  return s.replace(UNSTORABLE, "\ufffd");
}

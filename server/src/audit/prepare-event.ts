import { auditEventInputSchema, sha256Hex } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";
import { splitAroundPrevHash } from "./compute-event-hash.js";
import { hashSensitiveDiffs, redactFieldDiffs } from "./redact-secrets.js";
import { toStoredJson } from "./to-stored-json.js";

/** An event ready for the chain: everything but prev_hash and hash. */
export interface PreparedEvent {
  tenantId: string;
  /** Plain JSON data, as reading the stored jsonb back gives it. */
  body: Record<string, unknown>;
  /** Its canonical JSON around prev_hash (see splitAroundPrevHash). */
  head: string;
  tail: string;
}

export interface PrepareContext {
  now: Date;
  newId: (now: Date) => string;
  /** How values of sensitive fields are hashed (see hashSensitiveDiffs). @defaultValue plain SHA-256 */
  hashSensitive?: (value: unknown) => string;
}

/**
 * Validates one input with the shared zod schema (unknown top-level keys are dropped), redacts
 * secrets (see toStoredJson), and adds event_id, recorded_at and occurred_at (default: now;
 * both normalised to UTC ISO-8601 with milliseconds, as R5 asks for UTC). Throws
 * ValidationError, with zod's issues as details, for anything the log cannot hold faithfully —
 * nothing is written then.
 */
export function prepareEvent(input: unknown, ctx: PrepareContext): PreparedEvent {
  const parsed = auditEventInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      "invalid audit event",
      parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })),
    );
  }
  // zod's output is a fresh object of our own: completed in place rather than copied by
  // spreads, as toStoredJson copies it anyway (an append's Node-side cost is mostly such copies).
  const event: Record<string, unknown> = parsed.data;
  const recordedAt = ctx.now.toISOString();
  const sensitive = hashSensitiveDiffs(
    parsed.data.field_diffs,
    parsed.data.sensitive_fields,
    ctx.hashSensitive ?? sha256OfSensitive,
  );
  event.field_diffs = redactFieldDiffs(sensitive.diffs);
  if (sensitive.hidden && event.diff_summary !== null)
    event.diff_summary = `${parsed.data.sensitive_fields!.join(", ")} changed (sensitive: values hashed)`;
  event.event_id = ctx.newId(ctx.now);
  event.occurred_at =
    parsed.data.occurred_at === undefined ? recordedAt : new Date(parsed.data.occurred_at).toISOString();
  event.recorded_at = recordedAt;
  let body: Record<string, unknown>;
  try {
    body = toStoredJson(event) as Record<string, unknown>;
  } catch (err) {
    const message = (err as Error).message;
    throw new ValidationError(`audit event cannot be stored as JSON: ${message}`, [{ path: [], message }]);
  }
  return { tenantId: parsed.data.tenant_id, body, ...splitAroundPrevHash(body) };
}

/** A sensitive value's hash when the deployment has no checkpoint key. */
export const sha256OfSensitive = (value: unknown): string =>
  `sha256:${sha256Hex(typeof value === "string" ? value : JSON.stringify(value))}`;

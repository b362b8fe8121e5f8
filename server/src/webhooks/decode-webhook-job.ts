import {
  COMPACT_INTERNED_FIELDS,
  COMPACT_OPTIONAL_FIELDS,
  compactWebhookJobSchema,
  webhookJobSchema,
  type HubSpotChange,
  type WebhookJob,
} from "./events.js";
import { parseHubSpotBatch } from "./parse-hubspot-batch.js";
import { getChangeDedupeKey } from "./to-hubspot-change.js";

export type DecodedWebhookJob = { ok: true; job: WebhookJob } | { ok: false; issue: string };

const FIXED = 8;

const firstIssue = (error: { issues: { path: PropertyKey[]; message: string }[] }): string => {
  const first = error.issues[0];
  return first ? `${first.path.map(String).join(".")}: ${first.message}` : "invalid";
};

const INTERNED: ReadonlySet<string> = new Set(COMPACT_INTERNED_FIELDS);

/** A `v: 3` row's interned fields back to their strings (`null` stays `null`). */
function resolveStrings(change: Record<string, unknown>, strings: readonly string[]): string | undefined {
  for (const field of INTERNED) {
    const i = change[field];
    if (i === undefined || i === null) continue;
    if (!Number.isSafeInteger(i) || (i as number) < 0 || (i as number) >= strings.length)
      return `${field}: not an index into strings`;
    change[field] = strings[i as number];
  }
  return undefined;
}

/** A compact row back to the change it was, or a reason it cannot be one. Not yet validated. */
function decodeRow(
  row: unknown[],
  tenantId: string,
  strings: readonly string[] | undefined,
): Record<string, unknown> | string {
  const [subscriptionType, kind, objectType, crmObjectType, objectId, occurredAt, eventId, mask] = row;
  if (!Number.isSafeInteger(mask) || (mask as number) < 0 || (mask as number) >= 1 << COMPACT_OPTIONAL_FIELDS.length)
    return "bad field mask";
  const change: Record<string, unknown> = {
    crm: "hubspot",
    tenantId,
    subscriptionType,
    kind,
    objectType,
    crmObjectType,
    objectId,
    occurredAt,
    eventId,
  };
  let next = FIXED;
  COMPACT_OPTIONAL_FIELDS.forEach((field, bit) => {
    if ((mask as number) & (1 << bit)) change[field] = row[next++];
  });
  if (next !== row.length) return `expected ${next} values, found ${row.length}`;
  if (strings !== undefined) {
    const issue = resolveStrings(change, strings);
    if (issue !== undefined) return issue;
  }
  if (change.association !== undefined && (typeof change.association !== "object" || change.association === null))
    return "association must be an object";
  // Left out because the change's own fields give it back (see encodeWebhookJob); the schema
  // then checks those fields, so a key built from bad ones never gets through.
  change.dedupeKey ??= getChangeDedupeKey(change as HubSpotChange);
  return change;
}

/**
 * A one-portal batch kept as HubSpot delivered it (receive.ts) → its job, or why it cannot be
 * one. Parsed by the same `parseHubSpotBatch` the intake ran: the events it rejected are rejected
 * again, and a change repeated in the batch is kept once, the first, as the intake counted it.
 */
function receivedBatchJob(events: unknown[]): WebhookJob | string {
  const parsed = parseHubSpotBatch(events);
  if (!parsed.ok) return parsed.issues[0]?.message ?? "not a HubSpot batch";
  const unique = new Map<string, HubSpotChange>();
  for (const change of parsed.changes) if (!unique.has(change.dedupeKey)) unique.set(change.dedupeKey, change);
  const tenants = new Set(parsed.changes.map((c) => c.tenantId));
  if (tenants.size !== 1) return `a batch kept as received names ${tenants.size} portals, not one`;
  return { tenantId: [...tenants][0]!, changes: [...unique.values()] };
}

/**
 * A stored webhook job (compact rows, a one-portal batch as received, or the verbose form older
 * releases queued) → the job the handler gets, validated. Never throws: the worker turns a
 * failure into an `UnrecoverableError`, since retrying cannot repair stored data.
 */
export function decodeWebhookJob(data: unknown): DecodedWebhookJob {
  let candidate: unknown = data;
  if (Array.isArray(data)) {
    const job = receivedBatchJob(data);
    if (typeof job === "string") return { ok: false, issue: job };
    candidate = job;
  }
  const compact =
    typeof data === "object" && data !== null && "v" in data ? compactWebhookJobSchema.safeParse(data) : undefined;
  if (compact) {
    if (!compact.success) return { ok: false, issue: firstIssue(compact.error) };
    const changes: Record<string, unknown>[] = [];
    for (const [i, row] of compact.data.rows.entries()) {
      const change = decodeRow(row, compact.data.tenantId, compact.data.v === 3 ? compact.data.strings : undefined);
      if (typeof change === "string") return { ok: false, issue: `rows.${i}: ${change}` };
      changes.push(change);
    }
    candidate = { tenantId: compact.data.tenantId, changes };
  }
  const parsed = webhookJobSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, issue: firstIssue(parsed.error) };
  return { ok: true, job: parsed.data };
}

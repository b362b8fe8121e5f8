import type { CompactWebhookJob, WebhookJob } from "./events.js";
import { getChangeDedupeKey } from "./to-hubspot-change.js";

/**
 * The compact form a job is stored in (layout and why: `compactWebhookJobSchema`). Pure;
 * `decodeWebhookJob` gives back changes equal to these, down to absent versus `null`.
 * Written out field by field: it runs for every change of every batch.
 */
export function encodeWebhookJob(job: WebhookJob): CompactWebhookJob {
  // COMPACT_INTERNED_FIELDS: each distinct string stored once, rows hold its index.
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const rows = job.changes.map((c) => {
    const objectType = c.objectType;
    const row: unknown[] = [
      intern(c.subscriptionType),
      intern(c.kind),
      objectType === null ? null : intern(objectType),
      intern(c.crmObjectType),
      c.objectId,
      c.occurredAt,
      c.eventId,
      0,
    ];
    let mask = 0;
    // Bits follow COMPACT_OPTIONAL_FIELDS.
    if (c.property !== undefined) {
      mask |= 1;
      row.push(intern(c.property));
    }
    if (c.value !== undefined) {
      mask |= 2;
      row.push(c.value);
    }
    if (c.changeSource !== undefined) {
      mask |= 4;
      row.push(intern(c.changeSource));
    }
    if (c.sourceId !== undefined) {
      mask |= 8;
      row.push(intern(c.sourceId));
    }
    if (c.appId !== undefined) {
      mask |= 16;
      row.push(intern(c.appId));
    }
    if (c.attemptNumber !== undefined) {
      mask |= 32;
      row.push(c.attemptNumber);
    }
    if (c.sensitive !== undefined) {
      mask |= 64;
      row.push(c.sensitive);
    }
    if (c.merge !== undefined) {
      mask |= 128;
      row.push(c.merge);
    }
    if (c.association !== undefined) {
      mask |= 256;
      row.push(c.association);
    }
    if (c.dedupeKey !== getChangeDedupeKey(c)) {
      mask |= 512;
      row.push(c.dedupeKey);
    }
    row[7] = mask;
    return row;
  });
  return { tenantId: job.tenantId, v: 3, strings, rows };
}

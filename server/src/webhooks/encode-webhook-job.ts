import type { CompactWebhookJob, WebhookJob } from "./events.js";
import { getChangeDedupeKey } from "./to-hubspot-change.js";

/**
 * The compact form a job is stored in (layout and why: `compactWebhookJobSchema`). Pure;
 * `decodeWebhookJob` gives back changes equal to these, down to absent versus `null`.
 * Written out field by field: it runs for every change of every batch.
 */
export function encodeWebhookJob(job: WebhookJob): CompactWebhookJob {
  const rows = job.changes.map((c) => {
    const row: unknown[] = [c.subscriptionType, c.kind, c.objectType, c.crmObjectType, c.objectId, c.occurredAt, c.eventId, 0];
    let mask = 0;
    // Bits follow COMPACT_OPTIONAL_FIELDS.
    if (c.property !== undefined) {
      mask |= 1;
      row.push(c.property);
    }
    if (c.value !== undefined) {
      mask |= 2;
      row.push(c.value);
    }
    if (c.changeSource !== undefined) {
      mask |= 4;
      row.push(c.changeSource);
    }
    if (c.sourceId !== undefined) {
      mask |= 8;
      row.push(c.sourceId);
    }
    if (c.appId !== undefined) {
      mask |= 16;
      row.push(c.appId);
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
  return { tenantId: job.tenantId, v: 2, rows };
}

import type { Database } from "../db/index.js";
import { buildWriteAuditEvent, type WriteOutcome } from "./build-write-audit-event.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { AuditSink, CrmWriteRow } from "./types.js";

export interface FlushResult {
  /** Rows that reached a final status. */
  settled: WriteOutcome[];
  /** Rows to send again after a backoff (an attempt is counted). */
  retry: { row: CrmWriteRow; error: string; delayMs: number }[];
  /** Rows to put back untouched (rate limited: no attempt counted). */
  release: CrmWriteRow[];
}

/**
 * Records what one flush did, in one transaction: each settled row gets its audit event and
 * its `result_event_id`, so the write and its audit commit together. Rows some other flush
 * already settled are left alone, which keeps each row's result audited exactly once.
 * @returns the rows settled by this call, with their final status
 */
export async function recordFlushResult(db: Database, audit: AuditSink, result: FlushResult): Promise<CrmWriteRow[]> {
  const ids = [
    ...result.settled.map((o) => o.row.id),
    ...result.retry.map((r) => r.row.id),
    ...result.release.map((r) => r.id),
  ];
  if (ids.length === 0) return [];
  return db.transaction(async (tx) => {
    const open = new Set((await tx.query<CrmWriteRecord>(loadSql("lock-unsettled"), [ids])).rows.map((r) => r.id));
    const settled = result.settled.filter((o) => open.has(o.row.id));
    let done: CrmWriteRow[] = [];
    if (settled.length > 0) {
      const events = await audit.appendMany(settled.map(buildWriteAuditEvent), { tx });
      const rows = await tx.query<CrmWriteRecord>(loadSql("settle-writes"), [
        settled.map((o) => o.row.id),
        settled.map((o) => o.status),
        settled.map((o) => o.error),
        events.map((e) => e.event_id),
        settled.map((o) => (o.sent ? 1 : 0)),
        settled.map((o) => o.cancel?.causedBy ?? null),
      ]);
      done = rows.rows.map(toCrmWriteRow);
    }
    const retry = result.retry.filter((r) => open.has(r.row.id));
    if (retry.length > 0) {
      await tx.query(loadSql("retry-writes"), [
        retry.map((r) => r.row.id),
        retry.map((r) => r.error),
        retry.map((r) => r.delayMs),
      ]);
    }
    const release = result.release.filter((r) => open.has(r.id));
    if (release.length > 0) await tx.query(loadSql("release-writes"), [release.map((r) => r.id)]);
    return done;
  });
}

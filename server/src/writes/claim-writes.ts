import type { Database, Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { CrmWriteRow, WriteCancel, WriteCanceller } from "./types.js";

/** A claimed row a kill switch covers: it is settled `cancelled`, never sent. */
export interface CancelledWrite {
  row: CrmWriteRow;
  cancel: WriteCancel;
}

/**
 * Claims up to `limit` of a tenant's due rows, oldest first, and marks them in flight — all in
 * one transaction, so a concurrent claimer never gets the same row (SKIP LOCKED). While a switch
 * of the tenant is on, the agent writes it covers are claimed too (due or not, beyond `limit`),
 * to be cancelled.
 */
export async function claimWrites(
  db: Database,
  tenantId: string,
  limit: number,
  cancel: WriteCanceller | undefined,
): Promise<{ rows: CrmWriteRow[]; cancelled: CancelledWrite[] }> {
  return db.transaction(async (tx) => {
    const cancelled = cancel?.active(tenantId) ? await claimCancelled(tx, tenantId, cancel) : [];
    const skip = new Set(cancelled.map((c) => c.row.id));
    const chosen: string[] = [];
    let after = "0";
    // Rows being cancelled are paged past; without any, one page is enough.
    for (;;) {
      const page = (await tx.query<CrmWriteRecord>(loadSql("select-claimable"), [tenantId, after, limit])).rows.map(
        toCrmWriteRow,
      );
      for (const row of page) {
        if (skip.has(row.id)) continue;
        chosen.push(row.id);
        if (chosen.length === limit) break;
      }
      if (chosen.length === limit || page.length < limit) break;
      after = page[page.length - 1]!.seq;
    }
    if (chosen.length === 0) return { rows: [], cancelled };
    const claimed = (await tx.query<CrmWriteRecord>(loadSql("mark-in-flight"), [chosen])).rows.map(toCrmWriteRow);
    return { rows: claimed.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1)), cancelled };
  });
}

async function claimCancelled(tx: Sql, tenantId: string, cancel: WriteCanceller): Promise<CancelledWrite[]> {
  const rows = (await tx.query<CrmWriteRecord>(loadSql("select-agent-unsettled"), [tenantId])).rows.map(toCrmWriteRow);
  const out = rows.flatMap((row) => {
    const c = cancel.causeOf(row);
    return c ? [{ row, cancel: c }] : [];
  });
  if (out.length) await tx.query(loadSql("mark-in-flight"), [out.map((c) => c.row.id)]);
  return out;
}

import type { Database } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { WriteCanceller } from "./types.js";

const PAGE = 500;

/**
 * How long until a tenant's next row is due (0 = now), or `undefined` when there is none — then
 * no flush is needed until someone kicks. A row a kill switch cancels is due now, backing off
 * or not: the next flush cancels it.
 */
export async function nextDueDelay(
  db: Database,
  tenantId: string,
  cancel: WriteCanceller | undefined,
): Promise<number | undefined> {
  // Without a switch on, the soonest row is the answer; with one, rows are paged for one to cancel.
  const size = cancel?.active(tenantId) ? PAGE : 1;
  let soonest: number | undefined;
  for (let offset = 0; ; offset += size) {
    const page = (
      await db.query<CrmWriteRecord & { due_in_ms: number }>(loadSql("select-next-due"), [tenantId, size, offset])
    ).rows;
    if (size > 1 && page.some((r) => cancel?.causeOf(toCrmWriteRow(r)))) return 0;
    if (soonest === undefined && page[0]) soonest = Math.ceil(Number(page[0].due_in_ms));
    if (size === 1 || soonest === 0 || page.length < size) return soonest;
  }
}

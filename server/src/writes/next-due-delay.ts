import type { Database } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { CrmWriteRow } from "./types.js";

const PAGE = 500;

/**
 * How long until a tenant's next sendable row is due (0 = now), or `undefined` when every
 * unsettled row is held (or there are none) — then no flush is needed until someone kicks.
 */
export async function nextDueDelay(
  db: Database,
  tenantId: string,
  hold: ((row: CrmWriteRow) => boolean) | undefined,
): Promise<number | undefined> {
  // Without `hold` the soonest row is the answer; with it, held rows are paged past.
  const size = hold ? PAGE : 1;
  for (let offset = 0; ; offset += size) {
    const page = (
      await db.query<CrmWriteRecord & { due_in_ms: number }>(loadSql("select-next-due"), [tenantId, size, offset])
    ).rows;
    const due = page.find((r) => !hold?.(toCrmWriteRow(r)));
    if (due) return Math.ceil(Number(due.due_in_ms));
    if (page.length < size) return undefined;
  }
}

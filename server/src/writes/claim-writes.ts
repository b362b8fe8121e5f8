import type { Database } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { CrmWriteRow } from "./types.js";

/**
 * Claims up to `limit` of a tenant's due rows, oldest first, skipping the ones `hold` keeps,
 * and marks them in flight — all in one transaction, so a concurrent claimer never gets the
 * same row (SKIP LOCKED).
 */
export async function claimWrites(
  db: Database,
  tenantId: string,
  limit: number,
  hold: ((row: CrmWriteRow) => boolean) | undefined,
): Promise<CrmWriteRow[]> {
  return db.transaction(async (tx) => {
    const chosen: string[] = [];
    let after = "0";
    // Held rows stay pending and are paged past; without `hold` one page is enough.
    for (;;) {
      const page = (await tx.query<CrmWriteRecord>(loadSql("select-claimable"), [tenantId, after, limit])).rows.map(
        toCrmWriteRow,
      );
      for (const row of page) {
        if (hold?.(row)) continue;
        chosen.push(row.id);
        if (chosen.length === limit) break;
      }
      if (chosen.length === limit || page.length < limit) break;
      after = page[page.length - 1]!.seq;
    }
    if (chosen.length === 0) return [];
    const claimed = (await tx.query<CrmWriteRecord>(loadSql("mark-in-flight"), [chosen])).rows.map(toCrmWriteRow);
    return claimed.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  });
}

import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../db/index.js";
import { TollgateError } from "../errors/index.js";
import { loadSql } from "./load-sql.js";
import { toCrmWriteRow, type CrmWriteRecord } from "./to-crm-write-row.js";
import type { CrmWriteRow } from "./types.js";

const POLL_MS = 50;

/**
 * Resolves once no row (of `tenantId`, or of any tenant) is in flight or pending, except
 * pending rows `hold` keeps. Polls Postgres, the system of record, rather than Redis.
 */
export async function waitUntilDrained(
  db: Database,
  tenantId: string | undefined,
  hold: ((row: CrmWriteRow) => boolean) | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await countBusy(db, tenantId, hold);
    if (busy === 0) return;
    if (Date.now() > deadline) {
      throw new TollgateError("crm_writes_not_drained", `${busy} CRM write(s) still unsettled after ${timeoutMs} ms`, {
        details: { tenantId },
      });
    }
    await sleep(POLL_MS);
  }
}

async function countBusy(
  db: Database,
  tenantId: string | undefined,
  hold: ((row: CrmWriteRow) => boolean) | undefined,
): Promise<number> {
  // Without `hold` a count will do; polling full rows would slow the flushes being waited on.
  if (!hold) return (await db.query<{ n: number }>(loadSql("count-unsettled"), [tenantId ?? null])).rows[0]?.n ?? 0;
  const rows = (await db.query<CrmWriteRecord>(loadSql("select-unsettled"), [tenantId ?? null])).rows.map(
    toCrmWriteRow,
  );
  return rows.filter((r) => r.status === "in_flight" || !hold(r)).length;
}

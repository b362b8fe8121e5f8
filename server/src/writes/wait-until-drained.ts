import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../db/index.js";
import { TollgateError } from "../errors/index.js";
import { loadSql } from "./load-sql.js";

const POLL_MS = 50;

/**
 * Resolves once no row (of `tenantId`, or of any tenant) is in flight or pending (a row a kill
 * switch covers is cancelled, so it settles too). Polls Postgres, the system of record, rather than Redis.
 */
export async function waitUntilDrained(db: Database, tenantId: string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = (await db.query<{ n: number }>(loadSql("count-unsettled"), [tenantId ?? null])).rows[0]?.n ?? 0;
    if (busy === 0) return;
    if (Date.now() > deadline) {
      throw new TollgateError("crm_writes_not_drained", `${busy} CRM write(s) still unsettled after ${timeoutMs} ms`, {
        details: { tenantId },
      });
    }
    await sleep(POLL_MS);
  }
}

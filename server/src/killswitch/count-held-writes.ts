import type { Database } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { holdingSwitch } from "./should-hold-write.js";

/**
 * Queued agent writes of a tenant not sent yet that switches with these keys hold — by the write
 * queue's own rule (`holdingSwitch`): what a new switch stops in flight.
 */
export async function countHeldWrites(
  db: Database,
  tenantId: string,
  keys: readonly string[],
  roleOf?: (tenantId: string, agentId: string) => string | undefined,
): Promise<number> {
  const { rows } = await db.query<{ agent_id: string; purpose: string; n: number }>(
    loadSql("count-pending-agent-writes"),
    [tenantId],
  );
  const state = { active: new Set(keys) };
  return rows.reduce(
    (sum, r) =>
      sum +
      (holdingSwitch({ tenantId, purpose: r.purpose, agentId: r.agent_id }, state, roleOf?.(tenantId, r.agent_id))
        ? r.n
        : 0),
    0,
  );
}

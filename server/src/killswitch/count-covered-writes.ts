import type { Database } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { cancellingSwitch } from "./cancelling-switch.js";

/**
 * Queued agent writes of a tenant not sent yet that switches with these keys cancel — by the
 * write queue's own rule (`cancellingSwitch`): what a new switch stops in flight, and what is
 * still to cancel.
 */
export async function countCoveredWrites(
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
      (cancellingSwitch({ tenantId, purpose: r.purpose, agentId: r.agent_id }, state, roleOf?.(tenantId, r.agent_id))
        ? r.n
        : 0),
    0,
  );
}

/** The queued agent writes one switch (its `on` audit event) cancelled. */
export async function countCancelledWrites(db: Database, tenantId: string, switchEventId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(loadSql("count-cancelled-writes"), [tenantId, switchEventId]);
  return rows[0]?.n ?? 0;
}

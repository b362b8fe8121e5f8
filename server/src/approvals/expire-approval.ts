import { expireEvent } from "./approval-events.js";
import { toStoredApproval } from "./approval-store.js";
import { clearShadowWrite } from "./approval-writes.js";
import { loadSql } from "./load-sql.js";
import type { ApprovalServiceOptions } from "./types.js";

type Deps = Pick<ApprovalServiceOptions, "db" | "audit" | "writes"> & { now: () => Date };

/**
 * Fails closed: a still-pending approval past its expiry becomes `expired`, its shadow field is
 * emptied and the lapse is audited — it is never applied. Anything else is left alone.
 * @returns `expired` when it expired now; `not_due` when it is pending and not yet due;
 *   `settled` when it was already decided (or does not exist)
 */
export async function expireApproval(
  deps: Deps,
  tenantId: string,
  id: string,
): Promise<"expired" | "not_due" | "settled"> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<Record<string, unknown>>(loadSql("lock-approvals"), [tenantId, [id]]);
    if (!rows[0]) return "settled" as const;
    const a = toStoredApproval(rows[0]);
    if (a.status !== "pending") return "settled" as const;
    const now = deps.now();
    if (new Date(a.expiresAt).getTime() > now.getTime()) return "not_due" as const;
    const [event] = await deps.audit.appendMany([expireEvent(a, now)], { tx });
    await tx.query(loadSql("update-decision"), [
      tenantId,
      id,
      "expired",
      JSON.stringify(a.approvedBy),
      null,
      null,
      now.toISOString(),
    ]);
    const clear = clearShadowWrite(a, event!.event_id);
    if (clear) await deps.writes.enqueue([clear], { tx });
    return "expired" as const;
  });
  if (outcome === "expired") await deps.writes.kick([tenantId]).catch(() => undefined);
  return outcome;
}

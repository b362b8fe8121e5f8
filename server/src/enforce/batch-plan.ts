import type { AuditEventInput } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { EnforcementSummary } from "./enforce-changes.js";
import type { PlanSinks } from "./plan-proposal.js";
import type { EnforcementDeps, PlannedCrmWrite } from "./types.js";

/** What one batch will commit: audit events, and the writes, approvals and exceptions that point at them. */
export interface BatchPlan extends PlanSinks {
  events: AuditEventInput[];
  /** Each write, made once the event it belongs to has its id. */
  writes: ((eventIds: string[]) => PlannedCrmWrite)[];
}

export function createBatchPlan(summary: EnforcementSummary, policyTtl: number, now: Date): BatchPlan {
  const events: AuditEventInput[] = [];
  const writes: BatchPlan["writes"] = [];
  return {
    events,
    writes,
    approvals: [],
    exceptions: [],
    summary,
    policyTtl,
    now,
    addEvent: (e) => events.push(e) - 1,
    addWrite: (eventIndex, make) => void writes.push((ids) => make(ids[eventIndex]!)),
  };
}

/**
 * Commits the plan in ONE transaction — the processed keys, the audit events, the CRM write
 * intents, approvals and exceptions, and the caller's own bookkeeping (the batch's record
 * snapshots, a webhook receipt) — so a crash leaves all of
 * it or none. @returns the approvals created
 */
export async function commitBatch(
  deps: EnforcementDeps,
  tenantId: string,
  processedKeys: readonly string[],
  plan: BatchPlan,
  inTransaction: ((tx: Sql) => Promise<void>) | undefined,
): Promise<string[]> {
  return deps.db.transaction(async (tx) => {
    await tx.query(
      "INSERT INTO processed_events (tenant_id, event_key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
      [tenantId, processedKeys],
    );
    const ids = plan.events.length ? (await deps.audit.appendMany(plan.events, { tx })).map((e) => e.event_id) : [];
    if (plan.writes.length)
      await deps.writes.enqueue(
        plan.writes.map((w) => w(ids)),
        { tx },
      );
    const created: string[] = [];
    for (const a of plan.approvals) {
      const eventIndex = Number(a.proposalEventId);
      created.push(await deps.approvals.create({ ...a, proposalEventId: ids[eventIndex]! }, { tx }));
    }
    if (plan.exceptions.length)
      await deps.exceptions.open(
        plan.exceptions.map((e) => e(ids)),
        { tx },
      );
    await inTransaction?.(tx);
    return created;
  });
}

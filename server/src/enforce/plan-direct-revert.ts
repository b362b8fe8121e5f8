import { summarizeDiff, type Decision } from "../../../shared/index.js";
import { propertyKey } from "../snapshots/index.js";
import { auditDecision, changeEventBase, sensitiveFieldsOf } from "./audit-inputs.js";
import type { BatchPlan } from "./batch-plan.js";
import { provenanceAudit, routeOf, type Provenance } from "./decide-proposals.js";
import type { EnforcementSummary } from "./enforce-changes.js";
import type { RestoreValue } from "./find-restore-values.js";
import { directWriteApproval, exceptionFor } from "./plan-revert.js";
import { writeTarget } from "./provenance-stamp.js";
import type { Actor, CrmChange, PolicyPort } from "./types.js";

/** A property of a record, as snapshots key it. */
export const keyOf = (c: CrmChange) =>
  propertyKey({ objectType: c.objectType, objectId: c.objectId, property: c.property! });

/**
 * Plans a direct write the policy does not allow: audited with what it replaced; the newest
 * write of its property (the one that `carries` the revert) is reverted to the value it found —
 * or reported as a conflict or an unknown prior — and opens an exception.
 */
export function planRevert(
  c: { change: CrmChange; actor: Actor },
  step: { decision: Decision },
  ctx: {
    plan: BatchPlan;
    policy: PolicyPort;
    restore: ReadonlyMap<string, RestoreValue>;
    carries: boolean;
    /** What the agent stated beside the write, when it was read to decide it: kept for audit and replay. */
    provenance?: Provenance | undefined;
  },
): void {
  const { change, actor } = c;
  const { plan, policy, restore, carries } = ctx;
  const base = changeEventBase(change, actor);
  const key = keyOf(change);
  const target = restore.get(key);
  const isLatest = carries;
  const diff = {
    field: change.property!,
    before: target?.state === "restore" ? target.value : null,
    after: change.value ?? null,
  };
  // A direct write a person could have approved is not lost: it is reverted AND waits for a
  // person as an approval, exactly as if the agent had proposed it through the shadow field.
  const held =
    isLatest && target?.state === "restore" && actor.type === "agent" && routeOf(step.decision, policy) === "approval";
  const approval = held
    ? directWriteApproval(
        change,
        actor,
        step.decision,
        target.value,
        plan.now,
        plan.policyTtl,
        plan.events.length,
        ctx.provenance,
      )
    : undefined;
  if (approval) {
    plan.approvals.push(approval);
    plan.summary.approvalsOpened++;
  }
  const i = plan.addEvent({
    ...base,
    field_diffs: [diff],
    diff_summary: summarizeDiff(diff.field, diff.before, diff.after),
    decision: auditDecision(step.decision),
    ...(ctx.provenance ? provenanceAudit(ctx.provenance, base.source_signal ?? `${change.crm}:webhook`) : {}),
    reason: step.decision.reasons.join("; "),
    ...(approval
      ? {
          approval: { id: approval.id, approvers: [], expires_at: approval.expiresAt.toISOString() },
          risk_flags: approval.riskFlags,
        }
      : {}),
    result: target?.state === "restore" || !isLatest ? "ok" : "failed",
    error:
      isLatest && target?.state === "conflict"
        ? `conflict: ${target.changedBy} changed ${diff.field} since; not reverted`
        : isLatest && target?.state === "unknown"
          ? target.error
          : null,
  });
  if (!isLatest) return; // a later write of the same field by the same agent carries the revert
  outcomeOfRevert(target, plan.summary);
  if (target?.state === "restore") {
    plan.addWrite(i, (eventId) => ({
      ...writeTarget(change),
      properties: { [change.property!]: target.value ?? "" },
      purpose: "revert",
      agentId: null,
      causedBy: eventId,
      expected: { [change.property!]: change.value ?? null },
      ...sensitiveFieldsOf(change, change.property!),
    }));
  }
  plan.exceptions.push((ids) => exceptionFor(change, actor, step.decision.ruleId, ids[i]!, target));
}

function outcomeOfRevert(target: RestoreValue | undefined, summary: EnforcementSummary): void {
  if (target?.state === "restore") summary.reverted++;
  else if (target?.state === "conflict") summary.conflicts++;
  else summary.unknownPrior++;
}

import type { ActionRequest, ActionResponse } from "../../../shared/index.js";
import type { ApprovalCheck } from "./check-approval.js";
import type { ActionVerdict } from "./decide-action.js";

/** The approval an answer names: the one used, else the pending one the request carried. */
export function approvalIdOf(v: ActionVerdict, approval: ApprovalCheck | undefined): string | undefined {
  return v.used?.id ?? (approval?.state === "pending" ? approval.approval.id : undefined);
}

/** The gate's answer (docs/contracts.md#http-api `POST /v1/actions`). */
export function toResponse(
  r: ActionRequest,
  v: ActionVerdict,
  o: {
    eventId: string | null;
    approvalId?: string | undefined;
    writeId?: string | undefined;
    permit?: ActionResponse["permit"];
    dryRun?: boolean;
  },
): ActionResponse {
  const d = v.decision;
  return {
    decision: {
      outcome: d.outcome,
      tier: d.tier,
      ruleId: d.ruleId,
      policyVersion: d.policyVersion,
      reasons: d.reasons,
      ...(d.approvers === undefined ? {} : { approvers: d.approvers }),
    },
    executed: d.outcome === "allow" && r.action === "update_field" && o.writeId !== undefined,
    eventId: o.eventId,
    ...(o.approvalId ? { approvalId: o.approvalId } : {}),
    ...(o.writeId ? { writeId: o.writeId } : {}),
    ...(o.permit ? { permit: o.permit } : {}),
    riskFlags: v.riskFlags,
    ...(o.dryRun ? { dryRun: true } : {}),
  };
}

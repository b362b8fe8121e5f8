import { TollgateRequestError } from "./fetch-tollgate";
import type { Approval, ApprovalStatus, BatchItemResult } from "./types";

/**
 * What became of one approve/reject, as the rep reads it:
 * `applied` (the CRM now holds the value) · `approved` (recorded, more approvers needed) ·
 * `rejected` · `conflict` (the field or proposal changed since; nothing overwritten) ·
 * `refused` (Tollgate said no: expired, not allowed, failed…).
 */
export type DecisionOutcome = "applied" | "approved" | "rejected" | "conflict" | "refused";

export interface DecisionResult {
  id: string;
  field: string;
  outcome: DecisionOutcome;
  message: string;
}

const OUTCOME_OF_STATUS: Record<ApprovalStatus, DecisionOutcome> = {
  applied: "applied",
  approved: "approved",
  pending: "approved",
  rejected: "rejected",
  conflict: "conflict",
  expired: "refused",
  failed: "refused",
};

/** The result of a decision Tollgate accepted, from the approval as it now stands. */
export function resultFromApproval(approval: Approval): DecisionResult {
  const outcome = OUTCOME_OF_STATUS[approval.status];
  return { id: approval.id, field: approval.field, outcome, message: messageFor(outcome, approval) };
}

/** The result of a decision Tollgate refused, from the thrown request error. */
export function resultFromError(id: string, field: string, err: unknown): DecisionResult {
  if (err instanceof TollgateRequestError) {
    return { id, field, outcome: err.code === "conflict" ? "conflict" : "refused", message: err.message };
  }
  return { id, field, outcome: "refused", message: err instanceof Error ? err.message : String(err) };
}

/** One batch item's result; `fieldOf` names the field for items the answer does not describe. */
export function resultFromBatchItem(item: BatchItemResult, fieldOf: (id: string) => string): DecisionResult {
  if (item.error) {
    const outcome: DecisionOutcome = item.error.code === "conflict" ? "conflict" : "refused";
    return { id: item.id, field: fieldOf(item.id), outcome, message: item.error.message };
  }
  if (item.approval) return resultFromApproval(item.approval);
  const outcome = item.status ? OUTCOME_OF_STATUS[item.status] : "refused";
  return { id: item.id, field: fieldOf(item.id), outcome, message: item.status ? messageFor(outcome) : "Tollgate gave no result for this proposal" };
}

function messageFor(outcome: DecisionOutcome, approval?: Approval): string {
  switch (outcome) {
    case "applied":
      return "Applied to the record";
    case "approved":
      return approval
        ? `Approval recorded (${approval.approvedBy.length} of ${approval.approvalsNeeded}); waiting for another approver`
        : "Approval recorded; waiting for another approver";
    case "rejected":
      return "Rejected";
    case "conflict":
      return "Not applied: the field changed since the proposal was made";
    case "refused":
      return approval?.status === "expired" ? "Expired before it was decided" : "Tollgate could not apply it";
  }
}

import { TollgateRequestError } from "./fetch-tollgate";
import type { Approval, ApprovalDecisionResponse, ApprovalOutcome, ApprovalStatus, BatchItemResult } from "./types";

/**
 * What became of one approve/reject, as the rep reads it:
 * `applying` (every approval is in; Tollgate is writing it to the CRM) · `applied` ·
 * `recorded` (this approval counted; another approver is needed) · `rejected` ·
 * `unchanged` (this person had already decided so) · `conflict` (the field or the proposal
 * changed; nothing overwritten) · `refused` (expired, not allowed, failed…).
 */
export type DecisionOutcome = "applying" | "applied" | "recorded" | "rejected" | "unchanged" | "conflict" | "refused";

export interface DecisionResult {
  id: string;
  /** The field as the rep knows it: the CRM's label, else the internal name. */
  field: string;
  outcome: DecisionOutcome;
  message: string;
}

/** A proposal's field as the card names it: the CRM's label when Tollgate sent one. */
interface Named {
  field: string;
  fieldLabel?: string | null | undefined;
}
const nameOf = (item: Named): string => item.fieldLabel || item.field;

/** The result of a decision Tollgate accepted, from its answer (`ApprovalDecisionResponse`). */
export function resultFromResponse(response: ApprovalDecisionResponse): DecisionResult {
  return accepted(response.id, nameOf(response), response.outcome, response.status, response);
}

/** The result of a decision Tollgate refused, from the thrown request error (`approval`: as listed). */
export function resultFromError(approval: Named & { id: string }, err: unknown): DecisionResult {
  const { id } = approval;
  const field = nameOf(approval);
  if (err instanceof TollgateRequestError) return refused(id, field, err.code, err.message);
  return { id, field, outcome: "refused", message: err instanceof Error ? err.message : String(err) };
}

/**
 * One batch item's result, naming the field by the answer's `fieldLabel`; `fieldOf` names it
 * when the answer carries no approval (not found, a duplicate).
 */
export function resultFromBatchItem(item: BatchItemResult, fieldOf: (id: string) => string): DecisionResult {
  const field = item.fieldLabel || (item.approval ? nameOf(item.approval) : fieldOf(item.id));
  if (!item.ok)
    return refused(
      item.id,
      field,
      item.error?.code ?? "refused",
      item.error?.message ?? "Tollgate refused this decision",
    );
  return accepted(item.id, field, item.outcome, item.status, item.approval);
}

/**
 * Follows an `applying` result to the approval's status in a fresh list: the write settles to
 * `applied`, `conflict` (the field moved before it was written) or `failed`. Anything else,
 * including an approval no longer listed, leaves the result as it was.
 */
export function settleResult(result: DecisionResult, approval: Approval | undefined): DecisionResult {
  if (result.outcome !== "applying" || !approval) return result;
  switch (approval.status) {
    case "applied":
      return { ...result, outcome: "applied", message: "Applied to the record" };
    case "conflict":
      return {
        ...result,
        outcome: "conflict",
        message: "Not applied: the field changed before Tollgate could write it",
      };
    case "failed":
      return { ...result, outcome: "refused", message: "Approved, but the CRM refused the write" };
    default:
      return result;
  }
}

function accepted(
  id: string,
  field: string,
  outcome: ApprovalOutcome | undefined,
  status: ApprovalStatus | null,
  approval?: Approval,
): DecisionResult {
  if (status === "applied") return { id, field, outcome: "applied", message: "Applied to the record" };
  switch (outcome) {
    case "approved":
      return { id, field, outcome: "applying", message: "Approved; Tollgate is applying it to the record" };
    case "partially_approved":
      return {
        id,
        field,
        outcome: "recorded",
        message: approval
          ? `Your approval is recorded (${approval.approvedBy.length} of ${approval.approvalsNeeded}); another approver is needed`
          : "Your approval is recorded; another approver is needed",
      };
    case "rejected":
      return { id, field, outcome: "rejected", message: "Rejected" };
    case "unchanged":
      return { id, field, outcome: "unchanged", message: `You had already decided this (${status ?? "unknown"})` };
    default:
      return { id, field, outcome: "refused", message: "Tollgate gave no result for this proposal" };
  }
}

// Branch on the stable code, never on the text (docs/architecture.md#how-the-code-reads).
function refused(id: string, field: string, code: string, message: string): DecisionResult {
  return { id, field, outcome: code === "conflict" ? "conflict" : "refused", message };
}

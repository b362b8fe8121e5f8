export { createApprovalStore, isFieldApproval, toStoredApproval } from "./approval-store.js";
export type { ApprovalStore, ApprovalToCreate, StoredApproval } from "./approval-store.js";
export { createApprovalQueue } from "./approval-queue.js";
export type { ApprovalQueue, ApprovalJob } from "./approval-queue.js";
export { createApprovalService } from "./create-approval-service.js";
export type {
  ApprovalService,
  ApprovalServiceOptions,
  Approver,
  DecisionItem,
  DecisionResult,
  ApproveResult,
  RejectResult,
} from "./types.js";
export { ApprovalError, APPROVAL_ERROR_CODES } from "./approval-errors.js";
export type { ApprovalErrorCode } from "./approval-errors.js";
export { planDecision, isSamePerson } from "./plan-decision.js";
export type { CurrentValue, Plan } from "./plan-decision.js";
export { toApprovalWire } from "./to-approval-wire.js";
export { listRecordProvenance } from "./list-record-provenance.js";
export type { ProvenanceQuery } from "./list-record-provenance.js";
export { toProvenanceChanges, PROVENANCE_ACTIONS } from "./to-provenance-changes.js";
export { createCardApproverCheck } from "./card-approver-check.js";
export { createApprovalTimers } from "./create-approval-timers.js";
export type { ApprovalTimers } from "./create-approval-timers.js";
export { createApprovalNotifier, MAX_TASKS_PER_APPROVAL } from "./create-approval-notifier.js";
export type { ApprovalNotifier, ApprovalNotifierOptions } from "./create-approval-notifier.js";

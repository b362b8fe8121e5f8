export { createActionGate } from "./create-action-gate.js";
export type { ActionCaller, ActionGate, ActionGateOptions, ActionHandleOptions, ActionResult } from "./types.js";
export { checkSendCompliance } from "./check-send-compliance.js";
export type { ComplianceFinding, SendFacts } from "./check-send-compliance.js";
export { decideAction, parksForApproval } from "./decide-action.js";
export type { ActionVerdict, ActionContext } from "./decide-action.js";
export { checkApproval } from "./check-approval.js";
export type { ApprovalCheck } from "./check-approval.js";
export { derivePermitSecret, signPermit, readPermit, readPermitSignedByAny } from "./permit.js";
export { createPermitVerifier } from "./create-permit-verifier.js";
export type { PermitVerifier, PermitVerifierOptions } from "./create-permit-verifier.js";
export type { PermitClaims } from "./permit.js";
export {
  IdempotencyKeyReusedError,
  ActionInProgressError,
  CrmUnavailableError,
  CrmNotConnectedError,
} from "./action-errors.js";

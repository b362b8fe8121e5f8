import { TollgateError } from "../errors/index.js";

/**
 * Why a decision on an approval was refused. Each code is stable (cards and scripts branch on
 * it); the HTTP layer maps `httpStatus` to the `{error: {code, message, details}}` answer.
 */
export const APPROVAL_ERROR_CODES = {
  /** 404: no such approval for this tenant (or not on the card's record). */
  notFound: "not_found",
  /** 403: the proposing agent (or the rep it acts for) may not approve its own proposal. */
  selfApproval: "self_approval",
  /**
   * 403: the person is not in the approver group of the rule (a card user outside every
   * group the policy names, or a policy that names none); nothing changed, the attempt is audited.
   */
  notApprover: "not_an_approver",
  /** 409: already decided (approved, rejected, expired, applied…). */
  notPending: "approval_not_pending",
  /** 409: lapsed; marked expired, shadow cleared, never applied. */
  expired: "approval_expired",
  /**
   * 409: something changed since the approver looked; nothing was overwritten. `details.reason`
   * says what: `proposal_changed` (the card showed another value than the one proposed; the
   * approval is untouched) or `canonical_changed` (the field moved since the proposal; the
   * approval is marked `conflict`).
   */
  conflict: "conflict",
  /** 400: a reject needs a reason; a batch item is malformed. */
  invalid: "validation_failed",
  /** 503: the CRM could not be read to check the current value; nothing changed. */
  crmUnavailable: "crm_unavailable",
  /** 400: the same approval twice in one batch. */
  duplicate: "duplicate_item",
} as const;
export type ApprovalErrorCode = (typeof APPROVAL_ERROR_CODES)[keyof typeof APPROVAL_ERROR_CODES];

const STATUS: Record<ApprovalErrorCode, number> = {
  not_found: 404,
  self_approval: 403,
  not_an_approver: 403,
  approval_not_pending: 409,
  approval_expired: 409,
  conflict: 409,
  validation_failed: 400,
  crm_unavailable: 503,
  duplicate_item: 400,
};

/** A refused decision; `code` is one of APPROVAL_ERROR_CODES. */
export class ApprovalError extends TollgateError {
  constructor(code: ApprovalErrorCode, message: string, details?: unknown) {
    super(code, message, { httpStatus: STATUS[code], details });
  }
}

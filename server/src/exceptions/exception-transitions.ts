/** Requirements R9: an exception is reviewed, remediated, then closed. */
export const EXCEPTION_STATES = ["open", "reviewing", "remediated", "closed"] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

/**
 * The moves a person may make. Reviewing may end in `closed` directly (a false alarm needs no
 * remediation), and a remediation that did not hold goes back to `reviewing`.
 */
export const EXCEPTION_TRANSITIONS: Readonly<Record<ExceptionState, readonly ExceptionState[]>> = {
  open: ["reviewing"],
  reviewing: ["remediated", "closed"],
  remediated: ["closed", "reviewing"],
  closed: [],
};

export function canTransition(from: ExceptionState, to: ExceptionState): boolean {
  return EXCEPTION_TRANSITIONS[from].includes(to);
}

/**
 * SLA state at `now` (24 h to review, 72 h to remediate): review is late while the exception is
 * still open past its review deadline; remediation is late while it is neither remediated nor
 * closed past its remediation deadline.
 */
export function slaStatus(
  state: ExceptionState,
  reviewDueAt: Date,
  remediateDueAt: Date,
  now: Date,
): { reviewOverdue: boolean; remediateOverdue: boolean; overdue: boolean } {
  const t = now.getTime();
  const reviewOverdue = state === "open" && reviewDueAt.getTime() < t;
  const remediateOverdue = (state === "open" || state === "reviewing") && remediateDueAt.getTime() < t;
  return { reviewOverdue, remediateOverdue, overdue: reviewOverdue || remediateOverdue };
}

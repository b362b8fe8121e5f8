import { APPROVAL_ERROR_CODES as E, type ApprovalErrorCode } from "./approval-errors.js";
import type { StoredApproval } from "./approval-store.js";
import type { Approver, DecisionItem, DecisionResult } from "./types.js";

/** One entry of `approvals.approved_by`: the wire fields plus how and under which event. */
export interface ApprovedByEntry {
  id: string;
  name: string | null;
  email?: string | null | undefined;
  at: string;
  via?: string | undefined;
  /** The audit event that recorded this approval (an `approve` or `approval_batch` event). */
  eventId?: string | undefined;
}

/** What the CRM's canonical field holds now, as far as Tollgate can tell. */
export type CurrentValue =
  | { state: "same" }
  | { state: "changed"; value: string | null; by: string | null }
  /** Nothing known and nothing to read: the write queue's guard is the last check. */
  | { state: "unknown" }
  | { state: "unavailable"; error: string };

/** What to do with one approval; `changes` say whether a transaction must write anything. */
export type Plan =
  | { kind: "refuse"; result: DecisionResult }
  | { kind: "unchanged"; result: DecisionResult }
  | { kind: "approve"; reached: boolean; approver: Approver; result: DecisionResult }
  | { kind: "reject"; reason: string; result: DecisionResult }
  | { kind: "expire"; result: DecisionResult }
  | { kind: "conflict"; current: { value: string | null; by: string | null }; result: DecisionResult };

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? "") === (b ?? "");
const eqi = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

type PersonRef = { id: string; name: string | null; email?: string | null | undefined };

/**
 * Two records of a person are the same person when their stable ids, names or emails match
 * (a name may be an email: a key named `ada@example.com` is the card user with that email).
 */
export function isSamePerson(a: PersonRef, b: PersonRef): boolean {
  const aliases = (p: PersonRef) => [p.name, p.email].filter((x): x is string => !!x);
  return a.id === b.id || aliases(a).some((x) => aliases(b).some((y) => eqi(x, y)));
}

/**
 * Whether `approver` is the proposer: any agent, the proposing agent named by a human key, or
 * the rep the agent acted for when its evidence names one (`delegatedBy` / `onBehalfOf`: the
 * approvals table keeps no column for it, so the evidence bundle is where an agent records it).
 */
export function isProposer(approval: StoredApproval, approver: Approver): boolean {
  if (approver.agentId) return true;
  if (approval.agentId && (approver.id === `agent:${approval.agentId}` || eqi(approver.name, approval.agentId)))
    return true;
  const evidence = approval.evidence as Record<string, unknown> | null;
  const delegates = [evidence?.delegatedBy, evidence?.onBehalfOf].filter((d): d is string => typeof d === "string");
  return delegates.some((d) => d === approver.id || eqi(d, approver.name) || eqi(d, approver.email));
}

export function approvedByOf(approval: StoredApproval): ApprovedByEntry[] {
  return approval.approvedBy as ApprovedByEntry[];
}

const fail = (
  id: string,
  status: DecisionResult["status"],
  code: ApprovalErrorCode,
  message: string,
  details?: unknown,
): DecisionResult => ({
  id,
  ok: false,
  status,
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Decides what one decision does to one approval — the pure core of the approval service. The
 * checks run in a fixed order, and each refusal says which one failed:
 * found → not the proposer → not already decided by this person (idempotent) → pending →
 * not expired (fail closed) → the value the approver saw is the one proposed → the canonical
 * field still holds the value the approver was shown → record.
 */
export function planDecision(
  approval: StoredApproval | undefined,
  item: DecisionItem,
  approver: Approver,
  current: CurrentValue,
  now: Date,
  notAllowed?: string,
): Plan {
  const id = item.id;
  if (!approval || (approver.objectId !== undefined && approver.objectId !== approval.objectId)) {
    return { kind: "refuse", result: fail(id, null, E.notFound, `no approval ${id}`) };
  }
  const status = approval.status;
  // Approver groups come first: someone outside them learns nothing more about the approval.
  if (notAllowed !== undefined) return { kind: "refuse", result: fail(id, status, E.notApprover, notAllowed) };
  if (item.decision === "reject" && !item.reason?.trim()) {
    return { kind: "refuse", result: fail(id, status, E.invalid, "a reason is required to reject") };
  }
  if (item.decision === "approve" && isProposer(approval, approver)) {
    return {
      kind: "refuse",
      result: fail(
        id,
        status,
        E.selfApproval,
        "a proposal cannot be approved by the agent that proposed it, nor by the rep it acted for",
      ),
    };
  }
  if (item.decision === "approve" && approvedByOf(approval).some((a) => isSamePerson(a, approver))) {
    // Approving twice is answered, not counted: the two-person rule needs two people.
    return { kind: "unchanged", result: { id, ok: true, status, outcome: "unchanged" } };
  }
  if (
    item.decision === "reject" &&
    status === "rejected" &&
    (approval.rejectedBy === approver.name || approval.rejectedBy === approver.id)
  ) {
    return { kind: "unchanged", result: { id, ok: true, status, outcome: "unchanged" } };
  }
  if (status !== "pending") {
    return { kind: "refuse", result: fail(id, status, E.notPending, `approval ${id} is ${status}`, { status }) };
  }
  if (new Date(approval.expiresAt).getTime() <= now.getTime()) {
    return {
      kind: "expire",
      result: fail(id, "expired", E.expired, `approval ${id} expired at ${approval.expiresAt}; it was not applied`, {
        expiresAt: approval.expiresAt,
      }),
    };
  }
  if (item.decision === "reject") {
    return {
      kind: "reject",
      reason: item.reason!.trim(),
      result: { id, ok: true, status: "rejected", outcome: "rejected" },
    };
  }
  if (item.expected !== undefined && !same(item.expected.value, approval.proposedValue)) {
    return {
      kind: "refuse",
      result: fail(
        id,
        status,
        E.conflict,
        `the proposed value is ${JSON.stringify(approval.proposedValue)}, not the ${JSON.stringify(item.expected.value)} you approved`,
        {
          reason: "proposal_changed",
          proposedValue: approval.proposedValue,
          expected: item.expected.value,
        },
      ),
    };
  }
  if (current.state === "unavailable") {
    return {
      kind: "refuse",
      result: fail(
        id,
        status,
        E.crmUnavailable,
        `could not read ${approval.field} to check it is unchanged: ${current.error}`,
      ),
    };
  }
  if (current.state === "changed") {
    return {
      kind: "conflict",
      current: { value: current.value, by: current.by },
      result: fail(
        id,
        "conflict",
        E.conflict,
        `${approval.field} is now ${JSON.stringify(current.value)}, not the ${JSON.stringify(approval.currentValue)} shown with the proposal; nothing was overwritten`,
        {
          reason: "canonical_changed",
          field: approval.field,
          shown: approval.currentValue,
          current: current.value,
          changedBy: current.by,
        },
      ),
    };
  }
  const reached = approvedByOf(approval).length + 1 >= approval.approvalsNeeded;
  return {
    kind: "approve",
    reached,
    approver,
    result: {
      id,
      ok: true,
      status: reached ? "approved" : "pending",
      outcome: reached ? "approved" : "partially_approved",
    },
  };
}

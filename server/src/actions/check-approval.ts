import type { StoredApproval } from "../approvals/index.js";

/** What an `approvalId` on a request amounts to. */
export type ApprovalCheck =
  /** Approved by enough people, for this agent, verb, target and content: it may be used once. */
  | { state: "approved"; approval: StoredApproval; approvers: string[] }
  /** Still waiting for a person: the answer stays what the policy says, with this approval. */
  | { state: "pending"; approval: StoredApproval }
  /** Unusable: not found, someone else's, another action, decided against, lapsed, used. */
  | { state: "unusable"; id: string; flag: "approval_mismatch" | "approval_not_usable"; reason: string };

export interface ApprovalTarget {
  agentId: string;
  /** The verb; `field_write` approvals are applied by Tollgate and never retried. */
  action: string;
  objectType: string;
  objectId: string;
  /** The approved summary (summarize-action.ts) the request must repeat. */
  digest: string;
}

/**
 * Whether the approval named on a retry covers this request (pure). Anything but a match on
 * agent, verb, record and content is a mismatch — an attempt to reuse someone else's approval,
 * or to send something other than what a person approved (R12 drill 2).
 */
export function checkApproval(id: string, a: StoredApproval | undefined, t: ApprovalTarget, now: Date): ApprovalCheck {
  const mismatch = (reason: string): ApprovalCheck => ({ state: "unusable", id, flag: "approval_mismatch", reason });
  const unusable = (reason: string): ApprovalCheck => ({ state: "unusable", id, flag: "approval_not_usable", reason });
  if (!a) return mismatch(`no approval ${id}`);
  if (a.agentId !== t.agentId) return mismatch(`approval ${id} was requested by another agent`);
  if ((a.action ?? "field_write") !== t.action)
    return mismatch(`approval ${id} is for ${a.action ?? "field_write"}, not ${t.action}`);
  if (a.objectType !== t.objectType || a.objectId !== t.objectId)
    return mismatch(`approval ${id} is for ${a.objectType}/${a.objectId}, not ${t.objectType}/${t.objectId}`);
  if (a.proposedValue !== t.digest)
    return mismatch(`approval ${id} was given for different content than this request carries`);
  const lapsed = new Date(a.expiresAt).getTime() <= now.getTime();
  switch (a.status) {
    case "pending":
      return lapsed
        ? unusable(`approval ${id} expired at ${a.expiresAt} before anyone approved it`)
        : { state: "pending", approval: a };
    case "approved":
      if (lapsed) return unusable(`approval ${id} expired at ${a.expiresAt} before it was used`);
      return { state: "approved", approval: a, approvers: a.approvedBy.map((b) => b.name ?? b.id) };
    case "applied":
      return unusable(`approval ${id} was already used`);
    default:
      return unusable(`approval ${id} is ${a.status}${a.rejectReason ? `: ${a.rejectReason}` : ""}`);
  }
}

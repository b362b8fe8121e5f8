import { inboxQuerySchema, type Inbox, type InboxQuery, type InboxView } from "../../../shared/index.js";
import type { CrmUser } from "../crm/index.js";
import type { StoredApproval } from "./approval-store.js";
import { isProposer, isSamePerson } from "./plan-decision.js";
import { toApprovalWire } from "./to-approval-wire.js";
import type { Approver } from "./types.js";

/** Which inbox views one pending approval belongs to, for one approver (pure). */
export function inboxViewsOf(
  a: StoredApproval,
  approver: Approver,
  whyNotAllowed: ((a: StoredApproval, approver: Approver) => string | undefined) | undefined,
  now: Date,
): Set<InboxView> {
  const views = new Set<InboxView>(["all"]);
  const allowed = (who: Approver) => (whyNotAllowed?.(a, who) ?? undefined) === undefined;
  const approvedAlready = a.approvedBy.some((b) => isSamePerson(b, approver));
  if (!approvedAlready && !isProposer(a, approver) && allowed(approver)) views.add("mine");
  // My team's: the rule's approver group admits someone through one of my teams alone.
  const user = approver.crmUser;
  if (user && user.teamIds.length > 0) {
    const teamOnly: CrmUser = { ...user, id: "", email: undefined, roleIds: [], superAdmin: false, permissionSets: [] };
    if (allowed({ ...approver, id: "", email: undefined, crmUser: teamOnly })) views.add("team");
  } else if (!user) views.add("team");
  const created = Date.parse(a.createdAt);
  const expires = Date.parse(a.expiresAt);
  if (now.getTime() - created > (expires - created) / 2) views.add("overdue");
  return views;
}

/**
 * The approval inbox (docs/contracts.md#http-api `GET /v1/inbox`): a tenant's pending approvals
 * in one view, filtered, soonest to expire first, with how many each view holds.
 */
export function buildInbox(
  pending: readonly StoredApproval[],
  approver: Approver,
  rawQuery: InboxQuery,
  whyNotAllowed: ((a: StoredApproval, approver: Approver) => string | undefined) | undefined,
  now: Date,
): Inbox {
  const q = inboxQuerySchema.parse(rawQuery);
  const counts = { mine: 0, team: 0, overdue: 0, all: 0 };
  const shown: StoredApproval[] = [];
  for (const a of pending) {
    if (a.status !== "pending" || Date.parse(a.expiresAt) <= now.getTime()) continue;
    if (q.objectType && a.objectType !== q.objectType) continue;
    if (q.agentId && a.agentId !== q.agentId) continue;
    if (q.field && a.field !== q.field) continue;
    const views = inboxViewsOf(a, approver, whyNotAllowed, now);
    for (const v of views) counts[v] += 1;
    if (views.has(q.view)) shown.push(a);
  }
  shown.sort((x, y) => Date.parse(x.expiresAt) - Date.parse(y.expiresAt));
  return { view: q.view, approvals: shown.slice(0, q.limit).map(toApprovalWire), counts };
}

import { fetchTollgate } from "./fetch-tollgate";
import { buildTollgateUrl, recordPath, type CardIdentity, type PageIdentity } from "./tollgate-url";
import type {
  Approval,
  ApprovalDecisionResponse,
  ApprovalList,
  ApproveBody,
  BatchBody,
  BatchResponse,
  Inbox,
  InboxView,
  KillSwitchBody,
  KillSwitchView,
  ProvenancePage,
  RejectBody,
  SettingsView,
} from "./types";

/** Tollgate's card endpoints (docs/contracts.md#http-api), each one signed request through {@link fetchTollgate}. */

export function listApprovals(identity: CardIdentity): Promise<ApprovalList> {
  return fetchTollgate<ApprovalList>(buildTollgateUrl(recordPath(identity, "approvals"), identity), { method: "GET" });
}

/** Approves exactly the value the rep saw: Tollgate refuses if the proposal changed since. */
export function approveProposal(
  identity: PageIdentity,
  approval: Pick<Approval, "id" | "proposedValue">,
): Promise<ApprovalDecisionResponse> {
  const body: ApproveBody = { expected: { value: approval.proposedValue } };
  return fetchTollgate<ApprovalDecisionResponse>(
    buildTollgateUrl(`/v1/approvals/${encodeURIComponent(approval.id)}/approve`, identity),
    { method: "POST", body },
  );
}

export function rejectProposal(identity: PageIdentity, id: string, reason: string): Promise<ApprovalDecisionResponse> {
  const body: RejectBody = { reason };
  return fetchTollgate<ApprovalDecisionResponse>(
    buildTollgateUrl(`/v1/approvals/${encodeURIComponent(id)}/reject`, identity),
    { method: "POST", body },
  );
}

export function decideBatch(identity: PageIdentity, body: BatchBody): Promise<BatchResponse> {
  return fetchTollgate<BatchResponse>(buildTollgateUrl("/v1/approvals/batch", identity), { method: "POST", body });
}

export function listProvenance(
  identity: CardIdentity,
  page: { limit: number; cursor: string | null },
): Promise<ProvenancePage> {
  const url = buildTollgateUrl(recordPath(identity, "provenance"), identity, {
    limit: page.limit,
    cursor: page.cursor ?? undefined,
  });
  return fetchTollgate<ProvenancePage>(url, { method: "GET" });
}

/** Filters of the approval inbox (`GET /v1/inbox`). */
export interface InboxFilters {
  view: InboxView;
  objectType?: string | undefined;
  agentId?: string | undefined;
}

export function listInbox(identity: PageIdentity, filters: InboxFilters): Promise<Inbox> {
  const url = buildTollgateUrl("/v1/inbox", identity, {
    view: filters.view,
    objectType: filters.objectType,
    agentId: filters.agentId,
  });
  return fetchTollgate<Inbox>(url, { method: "GET" });
}

export function getSettings(identity: PageIdentity): Promise<SettingsView> {
  return fetchTollgate<SettingsView>(buildTollgateUrl("/v1/settings", identity), { method: "GET" });
}

/** Pulls or lifts a kill switch; Tollgate checks the role rules (a refusal carries its reason). */
export function setKillSwitch(identity: PageIdentity, body: KillSwitchBody): Promise<KillSwitchView> {
  return fetchTollgate<KillSwitchView>(buildTollgateUrl("/v1/kill-switches", identity), { method: "PUT", body });
}

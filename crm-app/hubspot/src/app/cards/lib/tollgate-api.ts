import { fetchTollgate } from "./fetch-tollgate";
import { buildTollgateUrl, recordPath, type CardIdentity } from "./tollgate-url";
import type {
  Approval,
  ApprovalDecisionResponse,
  ApprovalList,
  ApproveBody,
  BatchBody,
  BatchResponse,
  ProvenancePage,
  RejectBody,
} from "./types";

/** Tollgate's card endpoints (docs/contracts.md#http-api), each one signed request through {@link fetchTollgate}. */

export function listApprovals(identity: CardIdentity): Promise<ApprovalList> {
  return fetchTollgate<ApprovalList>(buildTollgateUrl(recordPath(identity, "approvals"), identity), { method: "GET" });
}

/** Approves exactly the value the rep saw: Tollgate refuses if the proposal changed since. */
export function approveProposal(
  identity: CardIdentity,
  approval: Pick<Approval, "id" | "proposedValue">,
): Promise<ApprovalDecisionResponse> {
  const body: ApproveBody = { expected: { value: approval.proposedValue } };
  return fetchTollgate<ApprovalDecisionResponse>(
    buildTollgateUrl(`/v1/approvals/${encodeURIComponent(approval.id)}/approve`, identity),
    { method: "POST", body },
  );
}

export function rejectProposal(identity: CardIdentity, id: string, reason: string): Promise<ApprovalDecisionResponse> {
  const body: RejectBody = { reason };
  return fetchTollgate<ApprovalDecisionResponse>(
    buildTollgateUrl(`/v1/approvals/${encodeURIComponent(id)}/reject`, identity),
    { method: "POST", body },
  );
}

export function decideBatch(identity: CardIdentity, body: BatchBody): Promise<BatchResponse> {
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

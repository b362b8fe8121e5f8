import type { Approval } from "../../../shared/index.js";
import type { StoredApproval } from "./approval-store.js";

/**
 * The docs/contracts.md#http-api shape of an approval: what the cards and operators see. Server-side fields
 * (tenant, shadow field, rule, decision event ids) stay inside.
 */
export function toApprovalWire(a: StoredApproval): Approval {
  return {
    id: a.id,
    status: a.status,
    objectType: a.objectType,
    objectId: a.objectId,
    field: a.field,
    currentValue: a.currentValue,
    proposedValue: a.proposedValue,
    confidence: a.confidence,
    source: a.source,
    reason: a.reason,
    evidence: a.evidence,
    riskFlags: a.riskFlags,
    approvalsNeeded: a.approvalsNeeded,
    approvedBy: a.approvedBy.map((b) => ({ id: b.id, name: b.name ?? null, at: b.at })),
    expiresAt: a.expiresAt,
    createdAt: a.createdAt,
    agentId: a.agentId,
    rejectReason: a.rejectReason ?? null,
  };
}

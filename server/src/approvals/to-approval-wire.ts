import { approvalMessageSchema, type Approval, type ApprovalMessage } from "../../../shared/index.js";
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
    action: a.action ?? "field_write",
    message: messageOf(a),
  };
}

/** A verb's message, from the payload the gate kept with the approval (already redacted there). */
function messageOf(a: StoredApproval): ApprovalMessage | null {
  if ((a.action ?? "field_write") === "field_write") return null;
  const payload = (a.evidence as { payload?: unknown } | null)?.payload;
  const parsed = approvalMessageSchema.safeParse(payload);
  if (!parsed.success) return null;
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => typeof v === "string")) as ApprovalMessage;
}

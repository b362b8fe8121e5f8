import { summarizeDiff, type AuditActor, type AuditEventInput } from "../../../shared/index.js";
import type { CrmWriteRow } from "../writes/index.js";
import type { StoredApproval } from "./approval-store.js";
import type { Approver, DecisionItem, DecisionResult } from "./types.js";

/** Audit actions of the approval flow; the provenance view reads them back. */
export const APPROVAL_ACTIONS = {
  approve: "approve",
  reject: "reject",
  expire: "expire",
  /** The final state of an approved proposal: applied, conflict or failed. */
  apply: "apply",
  batch: "approval_batch",
  /** A kill switch cancelled the approved apply: the approval is pending again (docs/operations.md#containment). */
  reopen: "approval_reopened",
} as const;

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: "tollgate", role: null, via: "approvals" };

export function humanActor(approver: Approver): AuditActor {
  return { type: "human", id: approver.id, role: approver.role ?? "approver", via: approver.via };
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "(empty)" : JSON.stringify(v));

/** What every event about one approval shares: the record, the proposed diff, the approval. */
export function approvalEventBase(
  a: StoredApproval,
  actor: AuditActor,
  approvers: readonly string[],
  now: Date,
): AuditEventInput {
  return {
    tenant_id: a.tenantId,
    occurred_at: now.toISOString(),
    actor,
    action: APPROVAL_ACTIONS.approve,
    crm: a.crm,
    object_type: a.objectType,
    object_id: a.objectId,
    field_diffs: [{ field: a.field, before: a.currentValue, after: a.proposedValue }],
    diff_summary: summarizeDiff(a.field, a.currentValue, a.proposedValue),
    approval: { id: a.id, approvers: [...approvers], expires_at: a.expiresAt },
    confidence: a.confidence,
    source_signal: a.source,
    connector: a.crm,
    caused_by: a.proposalEventId,
    // The CRM marks the values sensitive: the audit keeps only their keyed hashes (docs/contracts.md).
    ...(a.sensitive ? { sensitive_fields: ["*"] } : {}),
  };
}

const names = (a: StoredApproval) => a.approvedBy.map((b) => b.name ?? b.id);

export function approveEvent(a: StoredApproval, approver: Approver, reached: boolean, now: Date): AuditEventInput {
  const approvers = [...names(a), approver.name];
  const left = a.approvalsNeeded - approvers.length;
  return {
    ...approvalEventBase(a, humanActor(approver), approvers, now),
    reason: reached
      ? `approved by ${approvers.join(" and ")}`
      : `approved by ${approver.name}; ${left} more approver${left === 1 ? "" : "s"} needed`,
  };
}

export function conflictEvent(
  a: StoredApproval,
  approver: Approver,
  current: { value: string | null; by: string | null },
  now: Date,
): AuditEventInput {
  return {
    ...approvalEventBase(a, humanActor(approver), names(a), now),
    reason: `approval by ${approver.name} refused: ${a.field} changed since the proposal`,
    risk_flags: ["conflict"],
    result: "failed",
    error: a.sensitive
      ? `conflict: ${a.field} changed (set by ${current.by ?? "unknown"}) since the proposal; nothing was overwritten`
      : `conflict: ${a.field} is now ${show(current.value)} (set by ${current.by ?? "unknown"}), the proposal was shown against ${show(a.currentValue)}; nothing was overwritten`,
  };
}

export function rejectEvent(a: StoredApproval, approver: Approver, reason: string, now: Date): AuditEventInput {
  return {
    ...approvalEventBase(a, humanActor(approver), names(a), now),
    action: APPROVAL_ACTIONS.reject,
    reason: `Rejected by ${approver.name}: ${reason}`,
  };
}

export function expireEvent(a: StoredApproval, now: Date, attemptedBy?: Approver): AuditEventInput {
  return {
    ...approvalEventBase(a, SYSTEM_ACTOR, names(a), now),
    action: APPROVAL_ACTIONS.expire,
    reason: `expired at ${a.expiresAt} without enough approvals; not applied${attemptedBy ? ` (found on an approval attempt by ${attemptedBy.name})` : ""}`,
  };
}

/** The final state of an approved proposal, once its apply write settled. */
export function settledEvent(
  a: StoredApproval,
  row: CrmWriteRow,
  status: "applied" | "conflict" | "failed",
  now: Date,
): AuditEventInput {
  return {
    ...approvalEventBase(a, { ...SYSTEM_ACTOR, via: "crm_write_queue" }, names(a), now),
    action: APPROVAL_ACTIONS.apply,
    reason:
      status === "applied"
        ? `applied to ${a.field} after approval by ${names(a).join(" and ")}`
        : `not applied: ${status}`,
    caused_by: row.resultEventId ?? row.causedBy,
    risk_flags: status === "conflict" ? ["conflict"] : [],
    result: status === "applied" ? "ok" : "failed",
    error: status === "applied" ? null : (row.lastError ?? status),
  };
}

/**
 * A kill switch cancelled the apply of an approved proposal before it was sent: the approval is
 * `pending` again (or, when a newer proposal is pending on the field, superseded), so a person
 * decides again once the switch is lifted. Caused by the write's cancel event, itself caused by the switch.
 */
export function reopenedEvent(a: StoredApproval, row: CrmWriteRow, superseded: boolean, now: Date): AuditEventInput {
  return {
    ...approvalEventBase(a, { ...SYSTEM_ACTOR, via: "kill_switch" }, names(a), now),
    action: APPROVAL_ACTIONS.reopen,
    reason: superseded
      ? `not applied: ${row.lastError ?? "cancelled by a kill switch"}; superseded by a newer proposal on ${a.field}`
      : `not applied: ${row.lastError ?? "cancelled by a kill switch"}; pending again — approved by ${names(a).join(" and ")} before, a person decides again after the lift`,
    caused_by: row.resultEventId ?? row.causedBy,
    risk_flags: ["kill_switch_cancelled"],
    result: "ok",
    evidence: { previouslyApprovedBy: a.approvedBy, cancelledWriteId: row.id },
  };
}

/** One batch item as the manifest records it: what was decided, on what, against which value. */
export interface ManifestEntry {
  id: string;
  decision: DecisionItem["decision"] | null;
  objectType: string | null;
  objectId: string | null;
  field: string | null;
  /** The value the approver saw (`expected.value`), when sent. */
  seenValue: string | null | undefined;
  proposedValue: string | null;
  currentValue: string | null;
  reason: string | null;
  /** The values are sensitive (HubSpot `isSensitive`), so they are left out. */
  sensitive?: true;
}

/** Requirements R4: a batch is logged as ONE event with its manifest and every item's result. */
export function batchEvent(
  tenantId: string,
  approver: Approver,
  manifest: readonly ManifestEntry[],
  results: readonly DecisionResult[],
  now: Date,
): AuditEventInput {
  const count = (pred: (r: DecisionResult) => boolean) => results.filter(pred).length;
  const approved = count((r) => r.ok && (r.outcome === "approved" || r.outcome === "partially_approved"));
  const rejected = count((r) => r.ok && r.outcome === "rejected");
  const refused = count((r) => !r.ok);
  return {
    tenant_id: tenantId,
    occurred_at: now.toISOString(),
    actor: humanActor(approver),
    action: APPROVAL_ACTIONS.batch,
    reason: `batch of ${results.length} by ${approver.name}: ${approved} approved, ${rejected} rejected, ${refused} refused`,
    evidence: { manifest, results: withoutSensitiveValues(manifest, results) },
    result: refused === 0 ? "ok" : refused === results.length ? "failed" : "partial",
  };
}

/** A refusal's message and details quote values (the proposed one, the one seen): not those of a sensitive item. */
function withoutSensitiveValues(
  manifest: readonly ManifestEntry[],
  results: readonly DecisionResult[],
): DecisionResult[] {
  const sensitive = new Set(manifest.filter((m) => m.sensitive).map((m) => m.id));
  return results.map((r) =>
    r.error && sensitive.has(r.id)
      ? { ...r, error: { code: r.error.code, message: `${r.error.code} (sensitive: values omitted)` } }
      : r,
  );
}

import type { AuditEvent, ProvenanceChange } from "../../../shared/index.js";
import { APPROVAL_ACTIONS } from "./approval-events.js";

/** Audit actions that are governed changes of a record (plus failed `crm_write`s). */
export const PROVENANCE_ACTIONS = [
  "field_write",
  "proposal",
  "revert",
  "rollback",
  APPROVAL_ACTIONS.approve,
  APPROVAL_ACTIONS.reject,
  APPROVAL_ACTIONS.expire,
  APPROVAL_ACTIONS.apply,
  // A field write an agent asked for through the pre-write gate (`POST /v1/actions`, actions/).
  "update_field",
] as const;

/** An approval's state now, for events that name it. */
export interface ApprovalSummary {
  id: string;
  status: string;
  approvalsNeeded: number;
  approvedBy: string[];
  ruleId: string | null;
  policyVersion: string | null;
  rejectReason: string | null;
}

/**
 * Audit events → provenance entries, one per field an event touched (pure). Approval steps
 * take their rule and policy version from the approval they name, and a proposal shows who has
 * approved it since — including people who decided in a batch, whose one `approval_batch` event
 * names no record.
 */
export function toProvenanceChanges(
  events: readonly AuditEvent[],
  approvals: ReadonlyMap<string, ApprovalSummary>,
): ProvenanceChange[] {
  return events.flatMap((e) => {
    const approval = e.approval ? approvals.get(e.approval.id) : undefined;
    const base = {
      eventId: e.event_id,
      occurredAt: e.occurred_at,
      action: e.action,
      actor: { type: e.actor.type, id: e.actor.id, role: e.actor.role ?? null },
      outcome: outcomeOf(e, approval),
      ruleId: e.decision?.rule_id ?? approval?.ruleId ?? null,
      policyVersion: e.decision?.policy_version ?? approval?.policyVersion ?? null,
      approvedBy: approvedByOf(e, approval),
      approvalId: e.approval?.id ?? null,
      reason:
        e.reason ?? (e.action === "proposal" && approval?.rejectReason ? `rejected: ${approval.rejectReason}` : null),
      confidence: e.confidence ?? null,
      source: e.source_signal ?? null,
      evidence: e.evidence ?? null,
    };
    const diffs = e.field_diffs.length ? e.field_diffs : [{ field: null, before: null, after: null }];
    return diffs.map((d) => ({ ...base, field: d.field, before: d.before ?? null, after: d.after ?? null }));
  });
}

function outcomeOf(e: AuditEvent, approval: ApprovalSummary | undefined): string {
  const conflict = e.risk_flags.includes("conflict");
  switch (e.action) {
    case APPROVAL_ACTIONS.approve:
      if (e.result === "failed") return conflict ? "conflict" : "refused";
      return approval && (e.approval?.approvers.length ?? 0) < approval.approvalsNeeded
        ? "partially_approved"
        : "approved";
    case APPROVAL_ACTIONS.reject:
      return "rejected";
    case APPROVAL_ACTIONS.expire:
      return "expired";
    case APPROVAL_ACTIONS.apply:
      return e.result === "ok" ? "applied" : conflict ? "conflict" : "failed";
    case "crm_write":
      return conflict ? "write_skipped" : "write_failed";
    default:
      return e.decision?.outcome ?? (e.result === "ok" ? "recorded" : e.result);
  }
}

function approvedByOf(e: AuditEvent, approval: ApprovalSummary | undefined): string[] {
  if (e.action === APPROVAL_ACTIONS.approve || e.action === APPROVAL_ACTIONS.apply) return e.approval?.approvers ?? [];
  return approval?.approvedBy ?? [];
}

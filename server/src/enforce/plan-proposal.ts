import { randomUUID } from "node:crypto";
import { summarizeDiff, type AuditEventInput } from "../../../shared/index.js";
import { auditDecision, changeEventBase, sensitiveFieldsOf, sensitiveOf } from "./audit-inputs.js";
import { provenanceAudit, type ProposalOutcome } from "./decide-proposals.js";
import type { EnforcementSummary } from "./enforce-changes.js";
import { agentOf, provenanceStamp, writeTarget } from "./provenance-stamp.js";
import type { Actor, CrmChange, NewApproval, NewException, PlannedCrmWrite } from "./types.js";

/** Where planning puts what a batch will write, all committed in one transaction. */
export interface PlanSinks {
  addEvent(e: AuditEventInput): number;
  addWrite(eventIndex: number, make: (eventId: string) => PlannedCrmWrite): void;
  approvals: NewApproval[];
  exceptions: ((eventIds: string[]) => NewException)[];
  summary: EnforcementSummary;
  policyTtl: number;
  now: Date;
}

/** Plans one shadow-field proposal: apply it, open an approval, or refuse it and clear the shadow. */
export function planProposal(
  c: { change: CrmChange; actor: Actor; step: { kind: "proposal"; field: string } | { kind: string } },
  p: ProposalOutcome,
  sinks: PlanSinks,
): void {
  const { change, actor } = c;
  const field = "field" in c.step ? c.step.field : c.change.property!;
  const shadow = change.property!;
  const d = p.decision;
  const provenance = p.provenance;
  const base = {
    ...changeEventBase(change, actor),
    action: "proposal",
    field_diffs: [{ field, before: p.currentValue, after: change.value ?? null }],
    diff_summary: summarizeDiff(field, p.currentValue, change.value),
    decision: auditDecision(d),
    ...provenanceAudit(provenance, `${change.crm}:webhook`),
  };
  if (p.route === "apply") {
    sinks.summary.proposalsApplied++;
    const i = sinks.addEvent(base);
    sinks.addWrite(i, (eventId) => ({
      ...writeTarget(change),
      properties: { [field]: change.value ?? "", [shadow]: "", ...provenanceStamp(change, eventId) },
      purpose: "apply",
      agentId: agentOf(actor),
      causedBy: eventId,
      expected: { [field]: p.currentValue },
      ...sensitiveFieldsOf(change, field, shadow),
    }));
    return;
  }
  if (p.route === "approval") {
    sinks.summary.approvalsOpened++;
    const id = randomUUID();
    const expiresAt = new Date(sinks.now.getTime() + sinks.policyTtl);
    const i = sinks.addEvent({
      ...base,
      approval: { id, approvers: [], expires_at: expiresAt.toISOString() },
      risk_flags: p.riskFlags,
    });
    sinks.approvals.push({
      id,
      tenantId: change.tenantId,
      crm: change.crm,
      objectType: change.objectType,
      objectId: change.objectId,
      field,
      shadowField: shadow,
      currentValue: p.currentValue,
      proposedValue: change.value ?? null,
      confidence: provenance.confidence,
      source: provenance.source,
      reason: provenance.reason,
      evidence: provenance.evidence,
      riskFlags: p.riskFlags,
      approvalsNeeded: Math.max(1, d.approvers ?? 1),
      agentId: actor.type === "agent" ? actor.agentId : "unknown",
      agentRole: actor.type === "agent" ? actor.role : "unknown",
      ruleId: d.ruleId,
      policyVersion: d.policyVersion,
      // Resolved to the audit event id inside the transaction.
      proposalEventId: String(i),
      expiresAt,
      ...sensitiveOf(change),
    });
    return;
  }
  sinks.summary.proposalsDenied++;
  const i = sinks.addEvent({ ...base, error: "proposal refused; shadow field cleared" });
  sinks.addWrite(i, (eventId) => ({
    ...writeTarget(change),
    properties: { [shadow]: "" },
    purpose: "clear_shadow",
    agentId: null,
    causedBy: eventId,
    expected: { [shadow]: change.value ?? null },
    ...sensitiveFieldsOf(change, shadow),
  }));
  sinks.exceptions.push((ids) => ({
    tenantId: change.tenantId,
    kind: "proposal_refused",
    ruleId: d.ruleId,
    agentId: agentOf(actor),
    crm: change.crm,
    objectType: change.objectType,
    objectId: change.objectId,
    field,
    eventId: ids[i]!,
    summary: `${agentOf(actor)} proposed ${field} on ${change.objectType}/${change.objectId}: ${d.outcome} (${d.reasons.join("; ")})`,
  }));
}

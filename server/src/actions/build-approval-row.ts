import { randomUUID } from "node:crypto";
import { proposalRiskFlags } from "../enforce/index.js";
import type { ActionVerdict } from "./decide-action.js";
import type { ActionContext } from "./evaluate-action.js";
import type { ActionApprovalRow } from "./record-decision.js";
import { approvalPayload, summarizeAction } from "./summarize-action.js";

/** The approval a parked action asks a person for, with what the approver must see. */
export function buildApprovalRow(c: ActionContext, v: ActionVerdict, expiresAt: Date): ActionApprovalRow {
  const { tenantId, agentId, role, r, target, digest, facts, proposal } = c;
  const d = v.decision;
  const field = r.action === "update_field";
  const provenance = {
    confidence: r.confidence ?? null,
    source: r.source ?? null,
    reason: r.reason ?? null,
    evidence: r.evidence ?? null,
  };
  const proposalFlags = proposal ? proposalRiskFlags(provenance, facts.before ?? null) : [];
  return {
    id: randomUUID(),
    tenantId,
    crm: r.crm,
    ...target,
    field: field ? r.field! : r.action,
    action: field ? "field_write" : r.action,
    currentValue: field ? (facts.before ?? null) : null,
    proposedValue: field ? (r.value ?? null) : digest,
    confidence: r.confidence ?? null,
    source: r.source ?? null,
    reason: r.reason ?? null,
    evidence: {
      agent: r.evidence ?? null,
      request: summarizeAction(r),
      payload: approvalPayload(r),
      reasons: d.reasons,
    },
    // Why a person is asked: the policy's tier, or an exception to a window or a held cap.
    riskFlags: [...v.riskFlags, ...proposalFlags, ...(d.outcome === "needs_approval" ? [] : [d.outcome])],
    approvalsNeeded: Math.max(1, d.approvers ?? 1),
    agentId,
    agentRole: role,
    ruleId: d.ruleId,
    policyVersion: d.policyVersion,
    runId: r.runId ?? null,
    expiresAt: expiresAt.toISOString(),
    // Its decisions, expiry and apply then hash the values too (approvals/ approval-events).
    ...(field && c.sensitive ? { sensitive: true } : {}),
  };
}

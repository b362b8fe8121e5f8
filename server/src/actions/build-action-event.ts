import type { ActionRequest, AuditEventInput } from "../../../shared/index.js";
import type { PolicyDecision } from "../policy/index.js";
import type { ActionVerdict } from "./decide-action.js";
import { describeAction, summarizeAction } from "./summarize-action.js";

export interface ActionEventContext {
  tenantId: string;
  agentId: string;
  role: string | null;
  /** `api_key:<name>`: the key that asked. */
  via: string;
  objectType: string | null;
  objectId: string | null;
  /** For `update_field`: the value before, when it could be read. */
  before?: string | null | undefined;
  /** The approval created for this request, or the one it carries out. */
  approval?: { id: string; approvers: string[]; expiresAt: string } | undefined;
  /** For a permit: until when the agent may act on it. */
  permitExpiresAt?: string | undefined;
  /** The CRM marks the field written sensitive: the audit keeps only the values' hashes. */
  sensitive?: boolean | undefined;
  at: Date;
}

const EXECUTES = "intent: Tollgate queues the CRM write this event decided";
const PERMITS = "intent: the agent performs this action itself, citing this event";

/**
 * The audit event of one gate decision (docs/contracts.md#audit-event), written BEFORE anything is carried out
 * (docs/contracts.md#rules-that-never-bend): who asked (agent, role, key), what (the verb, the target, the whole
 * payload — the audit reconstruction drill rebuilds an email from it), why (reason, signal, confidence, evidence), with
 * what (model, prompt hash, tool), and what was decided under which rule and approval.
 */
export function buildActionEvent(r: ActionRequest, verdict: ActionVerdict, c: ActionEventContext): AuditEventInput {
  const d: PolicyDecision = verdict.decision;
  const allowed = d.outcome === "allow";
  const field = r.action === "update_field";
  return {
    tenant_id: c.tenantId,
    occurred_at: c.at.toISOString(),
    actor: { type: "agent", id: c.agentId, role: c.role, via: c.via },
    action: r.action,
    crm: r.crm,
    object_type: c.objectType,
    object_id: c.objectId,
    field_diffs: field ? [{ field: r.field!, before: c.before ?? null, after: r.value ?? null }] : [],
    // A value the CRM marks sensitive is hashed as on every other path (docs/contracts.md#audit-event).
    ...(field && c.sensitive ? { sensitive_fields: [r.field!] } : {}),
    diff_summary: describeAction(r),
    decision: { outcome: d.outcome, tier: d.tier, rule_id: d.ruleId, policy_version: d.policyVersion },
    approval: c.approval
      ? { id: c.approval.id, approvers: c.approval.approvers, expires_at: c.approval.expiresAt }
      : null,
    reason: r.reason ?? null,
    source_signal: r.source ?? null,
    source_signal_ref: r.sourceRef ?? null,
    confidence: r.confidence ?? null,
    evidence: {
      agent: r.evidence ?? null,
      request: summarizeAction(r),
      payload: r.payload ?? null,
      attributes: r.attributes ?? null,
      reasons: d.reasons,
      ...(allowed ? { intent: field ? EXECUTES : PERMITS } : {}),
      ...(c.permitExpiresAt ? { permitExpiresAt: c.permitExpiresAt } : {}),
      ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
    },
    risk_flags: verdict.riskFlags,
    agent_version: r.agentVersion ?? null,
    model_version: r.modelVersion ?? null,
    prompt_version: r.promptVersion ?? null,
    prompt_hash: r.promptHash ?? null,
    tool_name: r.toolName ?? null,
    connector: r.crm,
    run_id: r.runId ?? null,
    exceptions: verdict.waived.map((rule) => ({ rule, allowed_by: c.approval?.approvers.join(", ") || null })),
    result: "ok",
    error: allowed || d.outcome === "needs_approval" ? null : `${d.outcome}: ${d.reasons.join("; ")}`,
  };
}

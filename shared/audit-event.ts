import { z } from "zod";
import { OUTCOMES } from "./decision.js";
import { CRMS } from "./crm-objects.js";

/**
 * docs/contracts.md#audit-event (contract): one audit event per step, hash-chained per tenant.
 *
 * Where the seed matrix's required logging columns (requirements R5) live:
 * action_reason → `reason` · source_signal → `source_signal` · source_signal_url_or_event_id →
 * `source_signal_ref` · confidence_score → `confidence` · policy_id → `decision.policy_version`
 * (+ `decision.rule_id`) · approval_id → `approval.id` · before_json / after_json →
 * `field_diffs[].before/after` · diff_summary → `diff_summary` · agent_role → `actor.role` ·
 * agent_version → `agent_version` · model_version, prompt_version, tool_name → same names ·
 * connector_name → `connector` · timestamp_utc → `occurred_at` (UTC ISO-8601).
 */

export const ACTOR_TYPES = ["agent", "human", "system"] as const;
export const RESULTS = ["ok", "failed", "partial"] as const;
/** Outcomes an audit event may record: the decision outcomes plus observation. */
export const AUDIT_OUTCOMES = [...OUTCOMES, "observed"] as const;

export const actorSchema = z.object({
  type: z.enum(ACTOR_TYPES),
  id: z.string().min(1),
  role: z.string().nullable().default(null),
  /** How the actor reached us: `api_key:<name>`, `hubspot:app:<id>`, `hubspot:user:<id>`, `card`, `cli`… */
  via: z.string().nullable().default(null),
});

export const fieldDiffSchema = z.object({
  field: z.string(),
  before: z.unknown().nullable().default(null),
  after: z.unknown().nullable().default(null),
});

export const auditDecisionSchema = z.object({
  outcome: z.enum(AUDIT_OUTCOMES),
  tier: z.number().int().min(0).max(4).nullable().default(null),
  rule_id: z.string().nullable().default(null),
  policy_version: z.string().nullable().default(null),
});

export const auditApprovalSchema = z.object({
  id: z.string(),
  approvers: z.array(z.string()).default([]),
  expires_at: z.string().nullable().default(null),
});

/** What a caller supplies; ids, timestamps and hashes are added by the log. */
export const auditEventInputSchema = z.object({
  tenant_id: z.string().min(1),
  occurred_at: z.string().datetime({ offset: true }).optional(),
  actor: actorSchema,
  /** What happened: `field_write`, `revert`, `proposal`, `approve`, `policy_change`, `send_email`… */
  action: z.string().min(1),
  crm: z.enum(CRMS).nullable().default(null),
  object_type: z.string().nullable().default(null),
  object_id: z.string().nullable().default(null),
  field_diffs: z.array(fieldDiffSchema).default([]),
  /**
   * Fields whose values the CRM marks sensitive (HubSpot `isSensitive`; `"*"`: every diff): their
   * before/after are stored only as keyed hashes (`hmac-sha256:<hex>`), `diff_summary` without values.
   */
  sensitive_fields: z.array(z.string()).optional(),
  diff_summary: z.string().nullable().default(null),
  decision: auditDecisionSchema.nullable().default(null),
  approval: auditApprovalSchema.nullable().default(null),
  reason: z.string().nullable().default(null),
  source_signal: z.string().nullable().default(null),
  source_signal_ref: z.string().nullable().default(null),
  confidence: z.number().min(0).max(1).nullable().default(null),
  evidence: z.unknown().nullable().default(null),
  risk_flags: z.array(z.string()).default([]),
  agent_version: z.string().nullable().default(null),
  model_version: z.string().nullable().default(null),
  prompt_version: z.string().nullable().default(null),
  /** SHA-256 of the prompt/instruction, never the prompt itself. */
  prompt_hash: z.string().nullable().default(null),
  tool_name: z.string().nullable().default(null),
  connector: z.string().nullable().default(null),
  run_id: z.string().nullable().default(null),
  /** The event this one follows from (a revert names the write it undoes). */
  caused_by: z.string().nullable().default(null),
  /** Exceptions invoked and who allowed them. */
  exceptions: z.array(z.object({ rule: z.string(), allowed_by: z.string().nullable() })).default([]),
  result: z.enum(RESULTS).default("ok"),
  error: z.string().nullable().default(null),
});

export const auditEventSchema = auditEventInputSchema.extend({
  event_id: z.string(),
  occurred_at: z.string(),
  recorded_at: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});

export type AuditActor = z.infer<typeof actorSchema>;
export type AuditEventInput = z.input<typeof auditEventInputSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z.object({
  tenantId: z.string().optional(),
  objectType: z.string().optional(),
  objectId: z.string().optional(),
  agentId: z.string().optional(),
  runId: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ eventId: z.string(), reason: z.string() }).nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

/** An event's `diff_summary` for one field: `email: "a@x" → "b@x"`, an empty value shown as `(empty)`. */
export function summarizeDiff(field: string, before: unknown, after: unknown): string {
  const show = (v: unknown) => (v === null || v === undefined || v === "" ? "(empty)" : JSON.stringify(v));
  return `${field}: ${show(before)} → ${show(after)}`;
}

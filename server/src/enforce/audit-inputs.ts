import type { AuditActor, AuditEventInput, Decision } from "../../../shared/index.js";
import type { Actor, CrmChange } from "./types.js";

/** The audit actor for an attributed change. */
export function toAuditActor(actor: Actor): AuditActor {
  switch (actor.type) {
    case "agent":
      return { type: "agent", id: actor.agentId, role: actor.role, via: actor.via };
    case "human":
      return { type: "human", id: actor.id, role: null, via: actor.via };
    case "tollgate":
      return { type: "system", id: "tollgate", role: null, via: actor.via };
    case "unattributed":
      return { type: "system", id: actor.id, role: "unattributed", via: actor.via };
  }
}

export function auditDecision(decision: Decision) {
  return {
    outcome: decision.outcome,
    tier: decision.tier,
    rule_id: decision.ruleId,
    policy_version: decision.policyVersion,
  };
}

/** The fields every event about one CRM change shares. */
export function changeEventBase(change: CrmChange, actor: Actor): AuditEventInput {
  return {
    tenant_id: change.tenantId,
    occurred_at: change.occurredAt.toISOString(),
    actor: toAuditActor(actor),
    action: "field_write",
    crm: change.crm,
    object_type: change.objectType,
    object_id: change.objectId,
    source_signal: `${change.crm}:webhook`,
    source_signal_ref: change.sourceEventId ?? change.eventKey,
    connector: change.crm,
    // Every value of a change the CRM marks sensitive is hashed in the audit, never stored.
    ...(change.sensitive ? { sensitive_fields: ["*"] } : {}),
  };
}

/** A change the CRM marks sensitive stays so on the approval it opens: its audit events hash the values. */
export const sensitiveOf = (change: CrmChange): { sensitive?: true } => (change.sensitive ? { sensitive: true } : {});

/** …and on the writes it leads to: `fields` carry its value, so their audit event hashes them. */
export const sensitiveFieldsOf = (change: CrmChange, ...fields: string[]): { sensitiveFields?: string[] } =>
  change.sensitive ? { sensitiveFields: fields } : {};

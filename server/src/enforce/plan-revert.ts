import { randomUUID } from "node:crypto";
import type { Decision } from "../../../shared/index.js";
import { sensitiveOf } from "./audit-inputs.js";
import { proposalRiskFlags, type Provenance } from "./decide-proposals.js";
import type { RestoreValue } from "./find-restore-values.js";
import { agentOf } from "./provenance-stamp.js";
import type { Actor, CrmChange, NewApproval, NewException } from "./types.js";

/** The exception a disallowed write opens: reverted, or not (a conflict, an unknown prior value). */
export function exceptionFor(
  change: CrmChange,
  actor: Actor,
  ruleId: string,
  eventId: string,
  target: RestoreValue | undefined,
): NewException {
  const who = actor.type === "agent" ? actor.agentId : actor.type === "tollgate" ? "tollgate" : actor.id;
  const what =
    target?.state === "conflict"
      ? "changed since by someone else; not reverted"
      : target?.state === "unknown"
        ? `could not be reverted (${target.error})`
        : "reverted";
  return {
    tenantId: change.tenantId,
    kind:
      target?.state === "conflict"
        ? "revert_conflict"
        : target?.state === "unknown"
          ? "revert_failed"
          : "disallowed_write",
    ruleId,
    agentId: agentOf(actor),
    crm: change.crm,
    objectType: change.objectType,
    objectId: change.objectId,
    field: change.property ?? null,
    eventId,
    summary: `${who} wrote ${change.property} on ${change.objectType}/${change.objectId}: ${what}`,
  };
}

/** The approval a direct write becomes when the policy wanted a person to decide it. */
export function directWriteApproval(
  change: CrmChange,
  actor: Extract<Actor, { type: "agent" }>,
  decision: Decision,
  restoredTo: string | null,
  now: Date,
  ttlMs: number,
  eventIndex: number,
  /** What the agent stated beside the write: the card shows it, and approving it onboards its provider. */
  provenance?: Provenance,
): NewApproval {
  return {
    id: randomUUID(),
    tenantId: change.tenantId,
    crm: change.crm,
    objectType: change.objectType,
    objectId: change.objectId,
    field: change.property!,
    // No shadow field was used: applying writes the canonical field only.
    shadowField: null,
    currentValue: restoredTo,
    proposedValue: change.value ?? null,
    confidence: provenance?.confidence ?? null,
    source: provenance?.source ?? null,
    reason: provenance?.reason ?? null,
    evidence: provenance?.evidence ?? null,
    riskFlags:
      provenance && (provenance.source || provenance.confidence !== null || provenance.reason)
        ? ["direct_write", ...proposalRiskFlags(provenance, restoredTo)]
        : ["direct_write", "no_evidence"],
    approvalsNeeded: Math.max(1, decision.approvers ?? 1),
    agentId: actor.agentId,
    agentRole: actor.role,
    ruleId: decision.ruleId,
    policyVersion: decision.policyVersion,
    // Resolved to the audit event id inside the transaction.
    proposalEventId: String(eventIndex),
    expiresAt: new Date(now.getTime() + ttlMs),
    ...sensitiveOf(change),
  };
}

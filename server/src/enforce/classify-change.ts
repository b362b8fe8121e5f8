import { type Decision, isProvenanceField } from "../../../shared/index.js";
import type { Actor, CrmChange, PolicyPort } from "./types.js";

/**
 * What one change calls for — the pure half of enforcement. Everything that needs I/O (prior
 * values, current provenance, writes) happens in `enforceChanges`.
 */
export type ChangeStep =
  /** Tollgate's own write coming back: remembered, never re-enforced (loop safety). */
  | { kind: "own_write" }
  /** A person, or a source the policy does not enforce: audited as `observed`. */
  | { kind: "observe" }
  /**
   * Provenance written by a declared agent: always allowed (docs/contracts.md#fields-the-app-installs), kept as
   * context.
   */
  | { kind: "provenance" }
  /** An agent cleared its own proposal. */
  | { kind: "shadow_cleared"; field: string }
  /** An agent proposed a value through a shadow field; decided once provenance is known. */
  | { kind: "proposal"; field: string }
  /** A direct write the policy allows. */
  | { kind: "allowed_write"; decision: Decision }
  /** A direct write the policy does not allow: revert it. */
  | { kind: "revert"; decision: Decision }
  /** A record created, deleted, merged or re-associated: audited. */
  | { kind: "record_event" };

/**
 * `stated`: the confidence and source the agent wrote beside a direct write (its provenance
 * properties, a structured `ai_sdr_source` included) — the same inputs the gate decides with, so
 * an `auto_if` on sources or confidence decides a direct write exactly as it decides a proposal.
 */
export function classifyChange(
  change: CrmChange,
  actor: Actor,
  policy: PolicyPort,
  stated?: { confidence: number | null; source: string | null },
): ChangeStep {
  if (change.kind !== "property_change" || change.property === undefined)
    return actor.type === "tollgate" ? { kind: "own_write" } : { kind: "record_event" };
  if (actor.type === "tollgate") return { kind: "own_write" };
  if (actor.type === "human") return { kind: "observe" };
  if (actor.type === "unattributed") {
    // The policy's own rule (policy/decide-unattributed.ts), not a second copy of it here.
    const decision = policy.decideUnattributed({
      object: change.policyObject ?? change.objectType,
      field: change.property,
    });
    return decision ? { kind: "revert", decision } : { kind: "observe" };
  }
  const property = change.property;
  if (isProvenanceField(property)) return { kind: "provenance" };
  const shadowOf = policy.canonicalOfShadow(property);
  if (shadowOf !== undefined) {
    return change.value === null || change.value === undefined || change.value === ""
      ? { kind: "shadow_cleared", field: shadowOf }
      : { kind: "proposal", field: shadowOf };
  }
  const decision = policy.decideFieldWrite(directWriteInput(actor.agentId, change, property, stated));
  return decision.outcome === "allow" ? { kind: "allowed_write", decision } : { kind: "revert", decision };
}

/**
 * What the policy is asked about an agent's direct write of `property` — with the confidence and
 * source it stated beside it when they are known (one shape for the first look and the decision).
 */
export function directWriteInput(
  agentId: string,
  change: CrmChange,
  property: string,
  stated?: { confidence?: number | null; source?: string | null },
): Parameters<PolicyPort["decideFieldWrite"]>[0] {
  return {
    agentId,
    object: change.policyObject ?? change.objectType,
    field: property,
    viaShadow: false,
    value: change.value ?? null,
    confidence: stated?.confidence ?? undefined,
    source: stated?.source ?? undefined,
    recordId: change.objectId,
    at: change.occurredAt,
  };
}

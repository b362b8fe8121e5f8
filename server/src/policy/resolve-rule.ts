import { SHADOW_PREFIX_HUBSPOT, isProvenanceField, type Tier } from "../../../shared/index.js";
import { REASONS } from "./reasons.js";
import type { CompiledAgent, CompiledPolicy, CompiledRole, CompiledRule, DecisionInput } from "./types.js";

/** The rule that governs an input, or a fixed answer when no rule applies. */
export type Resolution =
  | {
      kind: "rule";
      agent: CompiledAgent;
      role: CompiledRole;
      rule: CompiledRule;
      /** Canonical field for writes (shadow names resolved). */
      field?: string;
      viaShadow: boolean;
      action?: string;
    }
  | {
      /** Decided without a rule: deny by default, provenance writes, reads. */
      kind: "fixed";
      agent?: CompiledAgent;
      role?: CompiledRole;
      outcome: "allow" | "deny";
      tier: Tier;
      ruleId: string;
      reason: string;
      /** Reads are not writes: kill switches leave them alone (R7: "switch the agent to read-only"). */
      isRead: boolean;
    };

export const DENY_BY_DEFAULT = "deny_by_default";
export const PROVENANCE_RULE = "provenance";

const denied = (reason: string, agent?: CompiledAgent, role?: CompiledRole): Resolution => ({
  kind: "fixed",
  ...(agent ? { agent } : {}),
  ...(role ? { role } : {}),
  outcome: "deny",
  tier: 0,
  ruleId: DENY_BY_DEFAULT,
  reason,
  isRead: false,
});

/**
 * Finds the rule for an input: agent → role → object → field or action. Object-level actions win
 * over role-level ones. Anything missing on the way is denied by default, each with its own reason.
 */
export function resolveRule(policy: CompiledPolicy, input: DecisionInput): Resolution {
  const agent = policy.agents.get(input.agentId);
  if (!agent) return denied(REASONS.unknownAgent(input.agentId));
  const role = policy.roles.get(agent.role);
  if (!role) return denied(REASONS.unknownRole(agent.role), agent);
  const objectRules = role.objects.get(input.object);

  if (input.kind === "field_write") {
    let field = input.field;
    if (!field) return denied(REASONS.missingField, agent, role);
    if (isProvenanceField(field)) {
      return {
        kind: "fixed",
        agent,
        role,
        outcome: "allow",
        tier: 2,
        ruleId: PROVENANCE_RULE,
        reason: REASONS.provenance(field),
        isRead: false,
      };
    }
    // A shadow write proposes a value for the canonical field: same rule, same decision
    // (docs/contracts.md#fields-the-app-installs).
    let viaShadow = input.viaShadow === true;
    if (field.startsWith(SHADOW_PREFIX_HUBSPOT)) {
      field = field.slice(SHADOW_PREFIX_HUBSPOT.length);
      viaShadow = true;
    } else {
      const canonical = policy.salesforceShadows.get(field);
      if (canonical !== undefined) {
        field = canonical;
        viaShadow = true;
      }
    }
    if (!objectRules) return denied(REASONS.objectNotGoverned(role.name, input.object), agent, role);
    const rule = objectRules.fields.get(field);
    if (!rule) return denied(REASONS.fieldNotListed(role.name, input.object, field), agent, role);
    return { kind: "rule", agent, role, rule, field, viaShadow };
  }

  const action = input.action;
  if (!action) return denied(REASONS.missingAction, agent, role);
  if (action === "read") {
    const ok = objectRules?.read === true;
    return {
      kind: "fixed",
      agent,
      role,
      outcome: ok ? "allow" : "deny",
      tier: ok ? 1 : 0,
      ruleId: ok ? `roles.${role.name}.objects.${input.object}.read` : DENY_BY_DEFAULT,
      reason: ok ? REASONS.readAllowed(role.name, input.object) : REASONS.readNotAllowed(role.name, input.object),
      isRead: true,
    };
  }
  const rule = objectRules?.actions.get(action) ?? role.actions.get(action);
  if (!rule) return denied(REASONS.actionNotListed(role.name, input.object, action), agent, role);
  return { kind: "rule", agent, role, rule, viaShadow: false, action };
}

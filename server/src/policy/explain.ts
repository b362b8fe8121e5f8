import { decide } from "./decide.js";
import { getCounterKeys } from "./get-counter-keys.js";
import { NO_KILL_SWITCHES } from "./kill-switches.js";
import { TIER_NAMES } from "./reasons.js";
import { resolveRule } from "./resolve-rule.js";
import type {
  CompiledPolicy,
  CompiledRule,
  CountersSnapshot,
  DecisionInput,
  KillSwitchState,
  PolicyDecision,
} from "./types.js";

export interface Explanation {
  decision: PolicyDecision;
  /** A few lines for people: who, which rule and tier, what was checked, the outcome and why. */
  lines: string[];
}

/**
 * The decision plus a readable account of it, for `tollgate policy explain`.
 *
 * @example
 * explainDecision(policy, { agentId: "routing-bot", object: "lead", kind: "field_write", field: "hubspot_owner_id", at:
 * new Date() }).lines
 * // [ "agent routing-bot (role routing)", "asks: write lead.hubspot_owner_id", "rule
 * roles.routing.objects.lead.fields.hubspot_owner_id: tier 2 (safe write …)", … ]
 */
export function explainDecision(
  policy: CompiledPolicy,
  input: DecisionInput,
  counters: CountersSnapshot = {},
  switches: KillSwitchState = NO_KILL_SWITCHES,
): Explanation {
  const decision = decide(policy, input, counters, switches);
  const r = resolveRule(policy, input);
  const lines: string[] = [];
  lines.push(r.agent ? `agent ${r.agent.id} (role ${r.agent.role})` : `agent ${input.agentId} (not declared)`);
  lines.push(`asks: ${describeRequest(input)}`);
  if (r.kind === "rule") {
    lines.push(`rule ${r.rule.id}: tier ${r.rule.tier} (${TIER_NAMES[r.rule.tier]})`);
    lines.push(...describeRule(r.rule));
    for (const c of getCounterKeys(policy, input))
      lines.push(`cap ${c.ruleId}: ${counters[c.key] ?? 0} of ${c.limit} used (${c.key})`);
  } else {
    lines.push(`rule ${r.ruleId}: tier ${r.tier} (${TIER_NAMES[r.tier]})`);
  }
  const approvers =
    decision.approvers === undefined ? "" : ` (${decision.approvers} approver${decision.approvers === 2 ? "s" : ""})`;
  lines.push(
    `outcome: ${decision.outcome}${approvers}${decision.overCap ? ` — over_cap: ${decision.overCap}` : ""} [policy ${decision.policyVersion.slice(0, 12)}]`,
  );
  for (const reason of decision.reasons) lines.push(`because: ${reason}`);
  return { decision, lines };
}

function describeRequest(input: DecisionInput): string {
  if (input.kind === "field_write")
    return `write ${input.object}.${input.field ?? "?"}${input.viaShadow ? " (proposed through its shadow field)" : ""}`;
  return `${input.action ?? "?"} on ${input.object}`;
}

function describeRule(rule: CompiledRule): string[] {
  const out: string[] = [];
  const a = rule.auto;
  if (a) {
    const parts: string[] = [];
    if (a.min_confidence !== undefined) parts.push(`confidence ≥ ${a.min_confidence}`);
    if (a.sources) parts.push(`source in [${a.sources.join(", ")}]`);
    if (a.min_icp_match !== undefined) parts.push(`ICP match ≥ ${a.min_icp_match}`);
    if (a.segments) parts.push(`segment in [${a.segments.join(", ")}]`);
    if (a.templates) parts.push(`template in [${a.templates.join(", ")}]`);
    if (a.sla_match) parts.push("SLA rules match");
    out.push(`auto if ${parts.join(" and ")}`);
  }
  for (const [condition, effect] of rule.exceptions)
    out.push(`exception: ${condition} → ${effect === "deny" ? "blocked" : "a human decides"}`);
  if (rule.tier === 2 || rule.tier === 3) out.push(`approvers when needed: ${rule.approvers}`);
  return out;
}

import { autoFailures, triggeredExceptions, unknownExceptions } from "./check-conditions.js";
import { findClosedWindow } from "./find-closed-window.js";
import { findExceededCap } from "./get-counter-keys.js";
import { findActiveKillSwitch } from "./kill-switches.js";
import { REASONS, TIER_REASONS } from "./reasons.js";
import { resolveRule } from "./resolve-rule.js";
import type { CompiledPolicy, CountersSnapshot, DecisionInput, KillSwitchState, PolicyDecision } from "./types.js";

/**
 * docs/contracts.md#decisions: the decision for one agent action. Pure — no I/O, and no clock but `input.at`.
 *
 * Precedence, first match wins:
 * 1. `killed` — a kill switch is an emergency stop: it must win over everything, and the audit
 *    should say the switch stopped it, not some rule it never reached. Reads are not stopped
 *    (R7: the switch turns an agent read-only).
 * 2. `deny` — by default (unknown agent/object/field/action), by tier (0 blocked, 1 read-only,
 *    4 humans only) or by a `deny` exception (named account locked). A deny is permanent: saying
 *    "outside the window" or "over the cap" instead would invite a pointless retry.
 * 3. `outside_window` — a time fact: retry when the window opens. Checked before caps so an
 *    action that could not run now does not report a cap it may not hit later.
 * 4. `over_cap` — counted usage; `overCap` says whether the policy denies or holds it.
 * 5. `needs_approval` — only for actions that could run now: a human is never asked to approve
 *    what a window or a cap would stop anyway.
 * 6. `allow`.
 *
 * A shadow write (`ai_proposed_<field>` or `viaShadow`) gets exactly the decision of a write to
 * `<field>`. Provenance fields are always writable by declared agents.
 *
 * @example
 * decide(policy, { agentId: "enrichment-bot", object: "contact", kind: "field_write", field: "email",
 *   confidence: 0.95, at: new Date() }, {}, NO_KILL_SWITCHES)
 * // → { outcome: "allow", tier: 3, ruleId: "roles.enrichment.objects.contact.fields.email", … }
 */
export function decide(
  policy: CompiledPolicy,
  input: DecisionInput,
  counters: CountersSnapshot,
  switches: KillSwitchState,
): PolicyDecision {
  const policyVersion = policy.version;
  const r = resolveRule(policy, input);

  if (r.kind === "fixed") {
    if (!r.isRead) {
      const kill = findActiveKillSwitch(switches, input, r.agent?.role);
      if (kill !== undefined)
        return {
          outcome: "killed",
          tier: r.tier,
          ruleId: `kill_switch:${kill}`,
          policyVersion,
          reasons: [REASONS.killed(kill)],
        };
    }
    return { outcome: r.outcome, tier: r.tier, ruleId: r.ruleId, policyVersion, reasons: [r.reason] };
  }

  const { role, rule } = r;
  const tier = rule.tier;
  const kill = findActiveKillSwitch(switches, input, role.name);
  if (kill !== undefined)
    return { outcome: "killed", tier, ruleId: `kill_switch:${kill}`, policyVersion, reasons: [REASONS.killed(kill)] };

  if (tier !== 2 && tier !== 3)
    return { outcome: "deny", tier, ruleId: rule.id, policyVersion, reasons: [TIER_REASONS[tier]] };
  if (rule.exceptions.length > 0) {
    const blocked = triggeredExceptions(rule, input, "deny");
    if (blocked.length > 0)
      return { outcome: "deny", tier, ruleId: rule.id, policyVersion, reasons: [TIER_REASONS[tier], ...blocked] };
  }

  const closed = findClosedWindow(policy, role, input);
  if (closed !== undefined) {
    const w = closed.window;
    return {
      outcome: "outside_window",
      tier,
      ruleId: w.ruleId,
      policyVersion,
      reasons: [REASONS.outsideWindow(w.ruleId, w.label, closed.zone)],
    };
  }

  const cap = findExceededCap(policy, role, rule, input, counters);
  if (cap !== undefined) {
    const hold = policy.overCap === "hold";
    return {
      outcome: "over_cap",
      tier,
      ruleId: cap.ruleId,
      policyVersion,
      reasons: [REASONS.overCap(cap.ruleId, cap.used, cap.limit), hold ? REASONS.overCapHold : REASONS.overCapDeny],
      overCap: policy.overCap,
    };
  }

  // Tier 3 needs a human unless its auto rule passes; tier 2 is allowed unless it has an auto
  // rule that fails. A `human` exception sends either to a person whatever the auto rule says.
  const failures = rule.auto !== undefined ? autoFailures(rule.auto, input) : undefined;
  const toHuman: string[] =
    rule.exceptions.length > 0
      ? [
          ...triggeredExceptions(rule, input, "human"),
          ...unknownExceptions(rule, input, policy.exceptionData.whenMissing),
        ]
      : [];
  // Safe mode (an operator's, or the policy's own for the agent) sends to a person until it expires
  // whatever would pass without one: tier 2, and tier 3 through its auto rule.
  const safeUntil = safeModeOf(r.agent.safeModeUntil, input.safeModeUntil);
  if (safeUntil !== undefined && input.at < safeUntil) toHuman.push(REASONS.safeMode(safeUntil));
  const autoPassed = failures !== undefined && failures.length === 0;
  const needsHuman = toHuman.length > 0 || (tier === 3 ? !autoPassed : failures !== undefined && !autoPassed);
  if (needsHuman) {
    const reasons: string[] = [TIER_REASONS[tier], ...(failures ?? []), ...toHuman];
    if (rule.approvers === 2) reasons.push(REASONS.twoPersonRule);
    return { outcome: "needs_approval", tier, ruleId: rule.id, policyVersion, reasons, approvers: rule.approvers };
  }
  return {
    outcome: "allow",
    tier,
    ruleId: rule.id,
    policyVersion,
    reasons: autoPassed ? [TIER_REASONS[tier], REASONS.autoPassed] : [TIER_REASONS[tier]],
  };
}

/** The later of the policy's and the operator's safe mode, if any. */
function safeModeOf(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

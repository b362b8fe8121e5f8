import {
  decide,
  type CompiledPolicy,
  type CountersSnapshot,
  type DecisionInput,
  type KillSwitchState,
  type PolicyDecision,
} from "../policy/index.js";
import type { ApprovalCheck } from "./check-approval.js";
import type { ComplianceFinding } from "./check-send-compliance.js";

/** The gate's answer before anything is stored: the decision and what shaped it. */
export interface ActionVerdict {
  decision: PolicyDecision;
  riskFlags: string[];
  /**
   * Rules a person's approval set aside for this one action (a closed window, a held cap): the audit's `exceptions`.
   */
  waived: string[];
  /** A held cap was set aside: the counters still count the action, without a limit. */
  capWaived: boolean;
  /** The approval this action carries out, when allowed with one. */
  used?: { id: string; approvers: string[]; expiresAt: string } | undefined;
}

export interface ActionContext {
  approval?: ApprovalCheck | undefined;
  /** Failed send checks (check-send-compliance.ts); empty for other verbs. */
  compliance: readonly ComplianceFinding[];
}

/** The policy without one window: what an approved exception to that window decides under. */
function withoutWindow(policy: CompiledPolicy, ruleId: string): CompiledPolicy {
  return {
    ...policy,
    windows: new Map([...policy.windows].filter(([, w]) => w.ruleId !== ruleId)),
    roles: new Map(
      [...policy.roles].map(([name, role]) => [
        name,
        role.window?.ruleId === ruleId ? { ...role, window: undefined } : role,
      ]),
    ),
  };
}

const refuse = (d: PolicyDecision, ruleId: string, reasons: string[]): PolicyDecision => ({
  outcome: "deny",
  tier: d.tier,
  ruleId,
  policyVersion: d.policyVersion,
  reasons,
});

/**
 * The decision for one gate request (pure): `decide` first — a kill switch or a deny is final,
 * whatever else the request carries — then an unusable approval and failed send checks refuse
 * it (R4: a send that fails compliance never reaches a person), and an approved approval stands
 * in for the person the policy asks for.
 *
 * An approval covers `needs_approval` always. It sets aside a closed window or a held cap only
 * when that window or cap is the rule it was requested under (its `ruleId`), so a person is never
 * taken to have allowed an exception they were not shown. It never lifts a deny or a switch.
 */
export function decideAction(
  policy: CompiledPolicy,
  input: DecisionInput,
  counters: CountersSnapshot,
  switches: KillSwitchState,
  ctx: ActionContext,
): ActionVerdict {
  let d = decide(policy, input, counters, switches);
  const base = { riskFlags: [] as string[], waived: [] as string[], capWaived: false };
  if (d.outcome === "deny" || d.outcome === "killed") return { ...base, decision: d };

  const a = ctx.approval;
  if (a?.state === "unusable")
    return { ...base, decision: refuse(d, `approval:${a.id}`, [a.reason]), riskFlags: [a.flag] };
  if (ctx.compliance.length > 0) {
    return {
      ...base,
      decision: refuse(
        d,
        `compliance:${input.action ?? "action"}`,
        ctx.compliance.map((f) => f.reason),
      ),
      riskFlags: [...new Set(ctx.compliance.map((f) => f.flag))],
    };
  }
  if (a?.state !== "approved") return { ...base, decision: d };

  const approval = a.approval;
  const waived: string[] = [];
  let capWaived = false;
  let p = policy;
  let c = counters;
  if (d.outcome === "outside_window" && approval.ruleId === d.ruleId) {
    waived.push(d.ruleId);
    p = withoutWindow(policy, d.ruleId);
    d = decide(p, input, c, switches);
  }
  if (d.outcome === "over_cap" && d.overCap === "hold" && approval.ruleId === d.ruleId) {
    waived.push(d.ruleId);
    capWaived = true;
    c = {};
    d = decide(p, input, c, switches);
  }
  if (d.outcome !== "allow" && d.outcome !== "needs_approval") return { ...base, decision: d, waived, capWaived };
  const needed = d.approvers ?? 1;
  if (d.outcome === "needs_approval" && a.approvers.length < needed) {
    // The policy asks for more people than approved this (the two-person rule came in since).
    return {
      ...base,
      decision: {
        ...d,
        reasons: [...d.reasons, `approval ${approval.id} has ${a.approvers.length} approver(s); ${needed} needed`],
      },
      waived,
      capWaived,
    };
  }
  const { approvers: _needed, ...rest } = d;
  return {
    decision: {
      ...rest,
      outcome: "allow",
      reasons: [...d.reasons, `approved by ${a.approvers.join(" and ")} (approval ${approval.id})`],
    },
    riskFlags: [],
    waived,
    capWaived,
    used: { id: approval.id, approvers: a.approvers, expiresAt: approval.expiresAt },
  };
}

/** Outcomes that park the action as an approval for a person: the policy asks for one, or the policy holds it. */
export function parksForApproval(d: PolicyDecision): boolean {
  return (
    d.outcome === "needs_approval" ||
    d.outcome === "outside_window" ||
    (d.outcome === "over_cap" && d.overCap === "hold")
  );
}

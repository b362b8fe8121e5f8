import type { AuditEvent } from "../../../shared/index.js";
import {
  NO_KILL_SWITCHES,
  decide,
  type CompiledPolicy,
  type DecisionInput,
  type KillSwitchState,
  type PolicyDecision,
} from "../policy/index.js";
import { toReplayInput } from "./to-replay-input.js";

/** One decision as replay shows it. */
export interface ReplayDecision {
  outcome: string;
  tier: number | null;
  ruleId: string | null;
  policyVersion: string | null;
  reasons: string[];
}

export interface ReplayChange {
  eventId: string;
  occurredAt: string;
  agentId: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  field: string | null;
  /** What the policy the action was decided under says (re-decided when that version is known, else as recorded). */
  before: ReplayDecision;
  /** What the candidate says. */
  after: ReplayDecision;
}

export interface ReplayResult {
  /** Agent actions re-decided. */
  checked: number;
  /** Events in the range that are not an agent's decided action (observations, people, Tollgate). */
  skipped: number;
  changed: ReplayChange[];
}

const KILL_PREFIX = "kill_switch:";

/**
 * Re-decides recorded agent actions under a candidate policy and lists the ones whose decision
 * would change (docs/operations.md "Replay"). Pure. Both sides decide in the same state: the
 * kill switch that stopped an action stays on for both, and counters start empty for both —
 * so a difference is the policy's, never the state's. Caps and windows are compared as policy
 * text, not as yesterday's counts.
 */
export function replayDecisions(
  events: readonly AuditEvent[],
  candidate: CompiledPolicy,
  baselineOf: (policyVersion: string | null) => CompiledPolicy | undefined,
): ReplayResult {
  let checked = 0;
  let skipped = 0;
  const changed: ReplayChange[] = [];
  for (const event of events) {
    const input = toReplayInput(event);
    if (input === undefined) {
      skipped++;
      continue;
    }
    checked++;
    const recorded = event.decision!;
    const baseline = baselineOf(recorded.policy_version);
    const before: ReplayDecision = baseline
      ? redecideInput(event, input, baseline)
      : {
          outcome: recorded.outcome,
          tier: recorded.tier,
          ruleId: recorded.rule_id,
          policyVersion: recorded.policy_version,
          reasons: [],
        };
    const after = redecideInput(event, input, candidate);
    if (sameDecision(before, after)) continue;
    changed.push({
      eventId: event.event_id,
      occurredAt: event.occurred_at,
      agentId: event.actor.id,
      action: event.action,
      objectType: event.object_type,
      objectId: event.object_id,
      field: event.field_diffs[0]?.field ?? null,
      before,
      after,
    });
  }
  return { checked, skipped, changed };
}

/** Whether two replayed decisions are the same decision (outcome and tier; reasons may word it differently). */
export function sameDecision(a: Pick<ReplayDecision, "outcome" | "tier">, b: Pick<ReplayDecision, "outcome" | "tier">) {
  return a.outcome === b.outcome && a.tier === b.tier;
}

/**
 * The decision `policy` gives the recorded agent action of `event`, in the state replay decides
 * in (its kill switch on, counters empty), or `undefined` when the event is not an agent's
 * decided action. The one re-decision replay, golden records and what-if share.
 */
export function redecide(event: AuditEvent, policy: CompiledPolicy): ReplayDecision | undefined {
  const input = toReplayInput(event);
  return input === undefined ? undefined : redecideInput(event, input, policy);
}

function redecideInput(event: AuditEvent, input: DecisionInput, policy: CompiledPolicy): ReplayDecision {
  return toReplayDecision(decide(policy, input, {}, switchesOf(event.decision?.rule_id ?? null)));
}

function switchesOf(ruleId: string | null): KillSwitchState {
  if (!ruleId?.startsWith(KILL_PREFIX)) return NO_KILL_SWITCHES;
  return { active: new Set([ruleId.slice(KILL_PREFIX.length)]) };
}

function toReplayDecision(d: PolicyDecision): ReplayDecision {
  return { outcome: d.outcome, tier: d.tier, ruleId: d.ruleId, policyVersion: d.policyVersion, reasons: d.reasons };
}

import type { AuditEvent } from "../../../shared/index.js";
import {
  NO_KILL_SWITCHES,
  decide,
  type CompiledPolicy,
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
    const switches = switchesOf(recorded.rule_id);
    const baseline = baselineOf(recorded.policy_version);
    const before: ReplayDecision = baseline
      ? toReplayDecision(decide(baseline, input, {}, switches))
      : {
          outcome: recorded.outcome,
          tier: recorded.tier,
          ruleId: recorded.rule_id,
          policyVersion: recorded.policy_version,
          reasons: [],
        };
    const after = toReplayDecision(decide(candidate, input, {}, switches));
    if (before.outcome === after.outcome && before.tier === after.tier) continue;
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

function switchesOf(ruleId: string | null): KillSwitchState {
  if (!ruleId?.startsWith(KILL_PREFIX)) return NO_KILL_SWITCHES;
  return { active: new Set([ruleId.slice(KILL_PREFIX.length)]) };
}

function toReplayDecision(d: PolicyDecision): ReplayDecision {
  return { outcome: d.outcome, tier: d.tier, ruleId: d.ruleId, policyVersion: d.policyVersion, reasons: d.reasons };
}

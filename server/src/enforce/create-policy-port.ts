import type { PolicyObject } from "../../../shared/index.js";
import {
  NO_KILL_SWITCHES,
  canonicalOfShadow,
  decide,
  findAgent,
  getCounterKeys,
  decideUnattributed,
  type CompiledPolicy,
  type CountersSnapshot,
  type DecisionInput,
  type KillSwitchState,
} from "../policy/index.js";
import type { FieldWriteInput, PolicyPort } from "./types.js";

/**
 * Binds a compiled policy, a counters snapshot and the kill-switch state into the port
 * enforcement decides through. The snapshot is taken once per batch, so `decide` stays pure;
 * `withState` rebinds it (a write after an automatic trip sees the new switch).
 */
export function createPolicyPort(
  policy: CompiledPolicy,
  state: { counters?: CountersSnapshot; switches?: KillSwitchState } = {},
): PolicyPort {
  const counters = state.counters ?? {};
  const switches = state.switches ?? NO_KILL_SWITCHES;
  return {
    version: policy.version,
    findAgent: (identity) => findAgent(policy, identity),
    decideFieldWrite: (input) => decide(policy, toDecisionInput(input), counters, switches),
    canonicalOfShadow: (field) => canonicalOfShadow(policy, field),
    decideUnattributed: (input) => decideUnattributed(policy, input),
    approvalTtlMs: () => policy.approvalsExpireAfterMs,
    overCapHolds: () => policy.overCap === "hold",
    counterKeys: (input) => getCounterKeys(policy, toDecisionInput(input)),
    withState: (next) => createPolicyPort(policy, next),
  };
}

function toDecisionInput(input: FieldWriteInput): DecisionInput {
  return {
    agentId: input.agentId,
    // An object the policy does not name is denied by default inside decide().
    object: input.object as PolicyObject,
    kind: "field_write",
    field: input.field,
    viaShadow: input.viaShadow,
    ...(input.confidence === undefined ? {} : { confidence: input.confidence }),
    ...(input.source === undefined ? {} : { source: input.source }),
    recordId: input.recordId,
    at: input.at,
  };
}

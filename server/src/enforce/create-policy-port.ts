import type { PolicyObject } from "../../../shared/crm-objects.js";
import { NO_KILL_SWITCHES, decide, findAgent, shouldEnforceUnattributed, type CompiledPolicy, type CountersSnapshot, type KillSwitchState } from "../policy/index.js";
import type { PolicyPort } from "./types.js";

/**
 * Binds a compiled policy, a counters snapshot and the kill-switch state into the port
 * enforcement decides through. The snapshot is taken once per batch, so `decide` stays pure.
 */
export function createPolicyPort(policy: CompiledPolicy, state: { counters?: CountersSnapshot; switches?: KillSwitchState } = {}): PolicyPort {
  const counters = state.counters ?? {};
  const switches = state.switches ?? NO_KILL_SWITCHES;
  return {
    version: policy.version,
    findAgent: (identity) => findAgent(policy, identity),
    decideFieldWrite: (input) =>
      decide(
        policy,
        {
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
        },
        counters,
        switches,
      ),
    enforcesUnattributed: () => shouldEnforceUnattributed(policy),
    approvalTtlMs: () => policy.approvalsExpireAfterMs,
    overCapHolds: () => policy.overCap === "hold",
  };
}

import type { PolicyObject } from "../../../shared/index.js";
import {
  NO_KILL_SWITCHES,
  attributesFromRecordFacts,
  canonicalOfShadow,
  decide,
  findAgent,
  getCounterKeys,
  decideUnattributed,
  needsRecordFacts,
  policyNamesException,
  providerOf,
  recordFactProperties,
  type CompiledPolicy,
  type CountersSnapshot,
  type DecisionInput,
  type KillSwitchState,
  type RecordFacts,
} from "../policy/index.js";
import type { FieldWriteInput, PolicyPort } from "./types.js";

/**
 * Binds a compiled policy, a counters snapshot and the kill-switch state into the port
 * enforcement decides through. The snapshot is taken once per batch, so `decide` stays pure;
 * `withState` rebinds it (a write after an automatic trip sees the new switch). Record facts read
 * from the CRM (`withRecordFacts`, keyed `<object>/<recordId>`) answer the record-fact exceptions.
 */
export function createPolicyPort(
  policy: CompiledPolicy,
  state: {
    counters?: CountersSnapshot;
    switches?: KillSwitchState;
    facts?: ReadonlyMap<string, RecordFacts>;
    /** Agents in safe mode, and until when (safe-mode/): their tier-2 writes go to a person. */
    safeModes?: ReadonlyMap<string, Date>;
    /** Data providers a person has approved a change from (onboarding/): any other is new. */
    onboardedProviders?: ReadonlySet<string>;
  } = {},
): PolicyPort {
  const counters = state.counters ?? {};
  const switches = state.switches ?? NO_KILL_SWITCHES;
  const facts = state.facts;
  const withFacts = (input: FieldWriteInput): DecisionInput => {
    const safeModeUntil = state.safeModes?.get(input.agentId);
    const plain = { ...toDecisionInput(input), ...(safeModeUntil ? { safeModeUntil } : {}) };
    const provider = providerOf(plain);
    const base =
      state.onboardedProviders && provider !== undefined
        ? { ...plain, attributes: { ...plain.attributes, newProvider: !state.onboardedProviders.has(provider) } }
        : plain;
    const found = facts?.get(`${input.object}/${input.recordId}`);
    if (found === undefined) return base;
    const field = canonicalOfShadow(policy, input.field) ?? input.field;
    const fromCrm = attributesFromRecordFacts(policy, { ...found, writing: { field, value: input.value } });
    return { ...base, attributes: { ...base.attributes, ...fromCrm } };
  };
  return {
    version: policy.version,
    findAgent: (identity) => findAgent(policy, identity),
    decideFieldWrite: (input) => decide(policy, withFacts(input), counters, switches),
    canonicalOfShadow: (field) => canonicalOfShadow(policy, field),
    decideUnattributed: (input) => decideUnattributed(policy, input),
    approvalTtlMs: () => policy.approvalsExpireAfterMs,
    overCapHolds: () => policy.overCap === "hold",
    counterKeys: (input) => getCounterKeys(policy, toDecisionInput(input)),
    withState: (next) => createPolicyPort(policy, { ...state, ...next }),
    needsRecordFacts: (input) => needsRecordFacts(policy, toDecisionInput(input)),
    recordFactProperties: (crm) => recordFactProperties(policy, crm),
    withRecordFacts: (next) => createPolicyPort(policy, { ...state, facts: next }),
    get namesNewProvider() {
      return policyNamesException(policy, "new_provider");
    },
    withOnboardedProviders: (providers) => createPolicyPort(policy, { ...state, onboardedProviders: providers }),
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

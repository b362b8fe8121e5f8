export { loadPolicy, loadPolicyFile, parsePolicy } from "./load.js";
export type { LoadPolicyOptions } from "./load.js";
export { compilePolicy } from "./compile.js";
export { policyVersion } from "./version.js";
export { decide } from "./decide.js";
export { decideUnattributed, shouldEnforceUnattributed } from "./decide-unattributed.js";
export { explainDecision } from "./explain.js";
export type { Explanation } from "./explain.js";
export { listGovernedFields } from "./list-governed-fields.js";
export type { GovernedField } from "./list-governed-fields.js";
export { listGovernedObjects } from "./list-governed-objects.js";
export type { GovernedObject } from "./list-governed-objects.js";
export { findAgent } from "./find-agent.js";
export { describeAgentAccess, readableFields } from "./describe-agent-access.js";
export type { AgentAccess, ObjectAccess } from "./describe-agent-access.js";
export { canonicalOfShadow } from "./canonical-of-shadow.js";
export { getCounterKeys } from "./get-counter-keys.js";
export {
  killSwitchKey,
  killSwitchKeysOf,
  createKillSwitchState,
  channelOf,
  NO_KILL_SWITCHES,
} from "./kill-switches.js";
export { REASONS, EXCEPTION_REASONS, TIER_REASONS } from "./reasons.js";
export { DENY_BY_DEFAULT, PROVENANCE_RULE } from "./resolve-rule.js";
export { PolicyValidationError, formatPolicyProblem } from "./policy-validation-error.js";
export type { PolicyProblem } from "./policy-validation-error.js";
export { CHANNELS } from "./types.js";
export type {
  AgentIdentity,
  Channel,
  CompiledAgent,
  CompiledPolicy,
  CounterKey,
  CounterWindow,
  CountersSnapshot,
  DecisionAttributes,
  DecisionInput,
  FactValue,
  KillSwitchState,
  OverCapMode,
  PolicyDecision,
} from "./types.js";
export { createPolicyRegistry } from "./policy-registry.js";
export type { PolicyRegistry, ActivePolicy } from "./policy-registry.js";
export { diffManifests } from "./diff-manifests.js";
export {
  RECORD_FACT_CONDITIONS,
  attributesFromRecordFacts,
  mergeFactAttributes,
  needsRecordFacts,
  policyNamesException,
  providerOf,
  ruleNamesException,
  recordFactProperties,
} from "./record-facts.js";
export type { FactProperties, RecordFacts } from "./record-facts.js";
export { listPolicyWarnings } from "./list-policy-warnings.js";
export type { PolicyWarning } from "./list-policy-warnings.js";
export {
  approverGroupOf,
  isInApproverGroup,
  whyNotApprover,
  cardRoleOf,
  CARD_ROLES,
  DEFAULT_APPROVER_GROUP,
} from "./approver-groups.js";
export type { CardRole } from "./approver-groups.js";
export { startPolicyRefresh } from "./start-policy-refresh.js";

export { createKillSwitchService } from "./create-kill-switch-service.js";
export { createEnforcementGuard } from "./create-enforcement-guard.js";
export type { EnforcementGuardOptions } from "./create-enforcement-guard.js";
export { createTriggerCounter } from "./create-trigger-counter.js";
export type { TriggerCounter, TriggerCount } from "./create-trigger-counter.js";
export { createAlerter, alertWebhookUrlFrom, allocationExhaustedAlert, failingWorkAlert } from "./create-alerter.js";
export type {
  KillSwitchAlert,
  CrmAllocationAlert,
  FailingWorkAlert,
  StreamPositionLostAlert,
  Alert,
  AlerterOptions,
} from "./create-alerter.js";
export { isAgentKeyBlocked } from "./is-agent-key-blocked.js";
export type { AgentKeyCheck } from "./is-agent-key-blocked.js";
export { assertPolicyEditable } from "./assert-policy-editable.js";
export { cancellingSwitch, AGENT_WRITE_PURPOSES } from "./cancelling-switch.js";
export { countCoveredWrites, countCancelledWrites } from "./count-covered-writes.js";
export { normalizeScope, policyKeysOf, storedFieldsCovering } from "./switch-keys.js";
export { TRIGGER_METRICS, triggerWindowMs, firstCrossing, isTriggerMetric } from "./trigger-metrics.js";
export type { TriggerMetric } from "./trigger-metrics.js";
export { AgentKilledError, PolicyLockedError } from "./errors.js";
export type {
  CancellableWrite,
  KeyHolder,
  KillSwitch,
  KillSwitchActor,
  KillSwitchService,
  KillSwitchServiceOptions,
  Prevented,
  SetKillSwitch,
} from "./types.js";
export { tripTrigger } from "./trip-trigger.js";
export type { TriggerSubject } from "./trip-trigger.js";
export { TENANT_SWITCHERS, SCOPE_SWITCHERS } from "./switch-roles.js";

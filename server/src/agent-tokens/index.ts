export { createAgentTokenBroker } from "./create-agent-token-broker.js";
export type {
  AgentApp,
  AgentTokenBroker,
  AgentTokenBrokerOptions,
  AgentTokenRevoke,
} from "./create-agent-token-broker.js";
export { createAgentConsentRouter } from "./create-agent-consent-router.js";
export type { AgentConsentRouterOptions } from "./create-agent-consent-router.js";
export { AgentAppNotConfiguredError, ReconsentRequiredError } from "./errors.js";

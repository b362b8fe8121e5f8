export { createAgentTokenBroker } from "./create-agent-token-broker.js";
export type {
  AgentApp,
  AgentTokenBroker,
  AgentTokenBrokerOptions,
  AgentTokenRevoke,
} from "./create-agent-token-broker.js";
export { AgentAppNotConfiguredError, ReconsentRequiredError } from "./errors.js";

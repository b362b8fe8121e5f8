export { createHubSpotSandbox } from "./create-hubspot-sandbox.js";
export { startSandbox } from "./start-sandbox.js";
export { signWebhook } from "./sign-webhook.js";
export { SANDBOX_CHANGE_SOURCES } from "./types.js";
export type { StartSandboxOptions, StartedSandbox } from "./start-sandbox.js";
export type {
  HubSpotSandbox,
  HubSpotSandboxOptions,
  SandboxActor,
  SandboxSubscription,
  SandboxSubscriptionType,
  SandboxWebhookEvent,
  SandboxRecord,
  SandboxHistoryEntry,
  SandboxStats,
  SandboxChangeSource,
  SandboxUser,
} from "./types.js";

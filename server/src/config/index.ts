export { loadConfig } from "./load-config.js";
export type { Config, Env } from "./load-config.js";
export { API_KEY_ROLES, apiKeyEntrySchema } from "./api-keys.js";
export type { ApiKeyRole, ApiKeyEntry } from "./api-keys.js";

export { createHubSpotConnector } from "./create-hubspot-connector.js";
export { DEFAULT_HUBSPOT_BASE_URL } from "./create-hubspot-transport.js";
export { readRateLimitHeaders } from "./read-rate-limit-headers.js";
export { toHubSpotObjectName, toHubSpotObjectTypeId, toHubSpotLegacyName } from "./object-types.js";
export { BATCH_READ_LIMIT, BATCH_READ_WITH_HISTORY_LIMIT } from "./read-records.js";
export { BATCH_UPDATE_LIMIT } from "./write-records.js";
export type { HubSpotConnectorOptions, FetchLike } from "./types.js";

export { createSalesforceConnector } from "./create-salesforce-connector.js";
export { DEFAULT_SALESFORCE_API_VERSION, DEFAULT_SALESFORCE_CLIENT_NAME } from "./create-salesforce-transport.js";
export { COLLECTION_UPDATE_LIMIT } from "./write-records.js";
export { MAX_QUERY_URL_CHARS } from "./soql.js";
export { mintJwtToken } from "./mint-jwt-token.js";
export type { SalesforceConnector } from "./create-salesforce-connector.js";
export type { SalesforceConnectorOptions, SalesforceJwtAuth } from "./types.js";
export { historyObjectOf } from "./history-object.js";

export { createCdcIngestor, CDC_RETENTION_MS } from "./create-cdc-ingestor.js";
export { createReplayPositionStore } from "./replay-positions.js";
export { toCrmChanges, clientOf } from "./to-crm-changes.js";
export { readReconcileChanges } from "./read-reconcile-changes.js";
export type { CdcIngestor, CdcIngestorOptions } from "./create-cdc-ingestor.js";
export type { ReplayPositionStore, ReplayPosition } from "./replay-positions.js";
export type { ReconcileRequest } from "./to-crm-changes.js";
export { createSalesforceIngestion } from "./create-salesforce-ingestion.js";
export type { SalesforceIngestion } from "./create-salesforce-ingestion.js";

export {
  verifyHubSpotSignatureV3,
  signHubSpotV3,
  decodeHubSpotUri,
  HUBSPOT_SIGNATURE_WINDOW_MS,
  SIGNATURE_FAILURES,
} from "./verify.js";
export type { SignatureCheck, SignatureFailure, VerifyHubSpotSignatureV3Input, SignHubSpotV3Input } from "./verify.js";
export {
  HUBSPOT_SUBSCRIPTION_TYPES,
  CHANGE_KINDS,
  HUBSPOT_BATCH_MAX,
  hubSpotWebhookEventSchema,
  hubSpotWebhookEventBaseSchema,
  getEventShapeIssues,
  hubSpotWebhookBatchSchema,
  hubSpotChangeSchema,
  webhookJobSchema,
  compactWebhookJobSchema,
  COMPACT_OPTIONAL_FIELDS,
  COMPACT_INTERNED_FIELDS,
} from "./events.js";
export type {
  HubSpotSubscriptionType,
  ChangeKind,
  HubSpotWebhookEvent,
  HubSpotChange,
  WebhookJob,
  CompactWebhookJob,
} from "./events.js";
export { toHubSpotChange, getDedupeKey, getChangeDedupeKey } from "./to-hubspot-change.js";
export { encodeWebhookJob } from "./encode-webhook-job.js";
export { decodeWebhookJob } from "./decode-webhook-job.js";
export type { DecodedWebhookJob } from "./decode-webhook-job.js";
export { parseHubSpotBatch, validateHubSpotBatch } from "./parse-hubspot-batch.js";
export type { ParsedBatch, ValidatedBatch, RejectedEvent, BatchIssue } from "./parse-hubspot-batch.js";
export { createWebhookReceiver } from "./receive.js";
export { createJobDispatcher } from "./create-job-dispatcher.js";
export type { JobDispatcher, JobDispatcherOptions, ReceiptJob } from "./create-job-dispatcher.js";
export { createWebhookWorkers } from "./workers.js";
export { createHubSpotWebhookRouter } from "./middleware.js";
export { tenantQueueName } from "./webhook-keys.js";
export {
  WebhookSignatureError,
  QueueUnavailableError,
  MethodNotAllowedError,
  UnsupportedMediaTypeError,
} from "./errors.js";
export type {
  WebhookLogger,
  WebhookReceiverOptions,
  WebhookReceiver,
  ReceivedBatch,
  ReceiveResult,
  EnqueuedJob,
  WebhookWorkersOptions,
  WebhookWorkers,
  WebhookJobMeta,
  HubSpotWebhookRouterOptions,
  HubSpotWebhookResponse,
} from "./types.js";
export { createReceiptStore } from "./create-receipt-store.js";
export type { ReceiptStore, NewReceipt, StaleReceipt, ReceiptCounts } from "./create-receipt-store.js";
export { createReceiptSweeper } from "./create-receipt-sweeper.js";
export type { ReceiptSweeper, ReceiptSweeperOptions } from "./create-receipt-sweeper.js";
export type { WebhookRetryOptions } from "./webhook-job-retry.js";
export {
  verifyTollgateSignature,
  signTollgateRequest,
  TOLLGATE_SIGNATURE_WINDOW_MS,
} from "./verify-tollgate-signature.js";
export type { VerifyTollgateSignatureInput } from "./verify-tollgate-signature.js";
export { toCrmChange } from "./to-crm-change.js";
export { countWebhookJobs } from "./count-webhook-jobs.js";
export { createWebhookIngestion } from "./create-webhook-ingestion.js";
export type { WebhookIngestion } from "./create-webhook-ingestion.js";

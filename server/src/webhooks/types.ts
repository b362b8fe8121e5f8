import type { Redis } from "ioredis";
import type { Sql } from "../db/index.js";
import type { ReceiptStore } from "./create-receipt-store.js";
import type { WebhookRetryOptions } from "./webhook-job-retry.js";
import type { HubSpotChange, HubSpotWebhookEvent, WebhookJob } from "./events.js";
import type { RejectedEvent } from "./parse-hubspot-batch.js";

/** The slice of a pino logger the webhook code uses; pass the app's logger. */
export interface WebhookLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WebhookReceiverOptions {
  /** Redis for the tenant registry and the BullMQ queues. Must not use `keyPrefix`. */
  redis: Redis;
  /**
   * Namespaces every key and the BullMQ prefix, so tests and deployments can share a Redis.
   * @defaultValue "tollgate"
   */
  prefix?: string;
  /**
   * The longest `receive` may take before it gives up with a 503. HubSpot counts a batch as
   * failed after 5 s, so answering 503 sooner lets its retry start cleanly.
   * @see https://developers.hubspot.com/docs/api/webhooks (retries)
   * @defaultValue 3000
   */
  enqueueTimeoutMs?: number;
  /** Jobs retry without limit; this sets their capped exponential backoff. */
  retry?: WebhookRetryOptions;
  /**
   * Where each batch is recorded before the 200 (docs/operations.md, "What survives losing
   * Redis"). Without it the job in Redis is the only copy — for tests of the Redis side alone.
   */
  receipts?: ReceiptStore;
  /** With receipts: how long jobs gather before one Redis round trip adds them. @defaultValue 5 */
  dispatchWindowMs?: number;
  logger?: WebhookLogger;
}

export interface EnqueuedJob {
  tenantId: string;
  /** The BullMQ queue name (`webhooks.hubspot.<tenantId>`). */
  queue: string;
  jobId: string;
  changes: number;
}

export interface ReceiveResult {
  /** Changes enqueued; a redelivered one among them is dropped by the workers (processed_events). */
  accepted: number;
  /** Changes that appeared twice in this batch, enqueued once. */
  duplicates: number;
  jobs: EnqueuedJob[];
}

/** A delivered batch whose signature was verified. */
export interface ReceivedBatch {
  /** The body as received (UTF-8): a JSON array of HubSpot events. */
  text: string;
  /** Its valid events (`validateHubSpotBatch`), in order. */
  events: readonly HubSpotWebhookEvent[];
  /**
   * What names this delivery, unique to its bytes: the verified v3 signature (an HMAC of the
   * body and its timestamp), hashed into the job and receipt id; without it the body is hashed.
   */
  delivery?: string;
}

export interface WebhookReceiver {
  /**
   * Records the changes durably and enqueues them, one job per tenant. With receipts it resolves
   * once the receipts are committed in PostgreSQL, and the jobs follow within milliseconds
   * (Redis failing only delays them); without, once the jobs are in Redis.
   * @throws QueueUnavailableError when PostgreSQL (or, without receipts, Redis) fails or is too slow.
   */
  receive(changes: readonly HubSpotChange[]): Promise<ReceiveResult>;
  /**
   * `receive` for a delivered batch. A one-portal batch's receipt keeps the body as received,
   * so nothing on the request path normalises or encodes its events; its job and receipt id hash
   * what names the delivery. Other batches go through `receive`.
   */
  receiveBatch(batch: ReceivedBatch): Promise<ReceiveResult>;
  /** Resolves once the job of every batch received so far is in Redis (or waits on a Redis failure). */
  flush(): Promise<void>;
  /** Adds the jobs still waiting (for up to 2 s; the receipt sweep queues the rest), then closes the queues. */
  close(): Promise<void>;
}

export interface WebhookJobMeta {
  jobId: string;
  /** The receipt the job carries out. */
  receiptId: string;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
  /**
   * Marks the receipt done inside the handler's transaction, so enforcement and receipt commit
   * together. A handler that never calls it has its receipt marked after it returns.
   */
  settle(sql: Sql): Promise<void>;
}

export interface WebhookWorkersOptions {
  /** Duplicated for the workers (BullMQ needs `maxRetriesPerRequest: null`) and the subscriber. */
  redis: Redis;
  /** Must equal the receiver's. @defaultValue "tollgate" */
  prefix?: string;
  /** Does the work for one tenant's share of one batch. Throw to retry; throw `UnrecoverableError` to give up. */
  handler: (job: WebhookJob, meta: WebhookJobMeta) => Promise<void>;
  /**
   * Jobs run at once per tenant. 1 keeps one tenant's batches in arrival order; tenants
   * always run in parallel.
   * @defaultValue 1
   */
  concurrency?: number;
  /** How often the tenant registry is re-read, as a backstop to the new-tenant notification. @defaultValue 5000 */
  refreshIntervalMs?: number;
  /** The receipts jobs mark done (and the durable tenant registry). Must equal the receiver's. */
  receipts?: ReceiptStore;
  /** Capped backoff of the retries; must match the receiver's. */
  retry?: WebhookRetryOptions;
  /**
   * A running job's lock, renewed while it runs, and the period of the stalled-job check: a job
   * whose process died runs again after one to two of these. @defaultValue 30_000
   */
  lockDurationMs?: number;
  /** Failures after which each further one is reported through `onFailing`. @defaultValue 5 */
  alertAfterAttempts?: number;
  /** A job that keeps failing (alert an operator); it goes on retrying. */
  onFailing?: (failure: { tenantId: string; jobId: string; attempts: number; error: string }) => unknown;
  /** A job that can never succeed: its receipt is set aside; make it visible (exception, metric). */
  onSetAside?: (aside: { tenantId: string; receiptId: string; issue: string }) => unknown;
  logger?: WebhookLogger;
}

export interface WebhookWorkers {
  /** Tenants with a running worker. */
  tenants(): string[];
  close(): Promise<void>;
}

export interface HubSpotWebhookRouterOptions {
  /** `HUBSPOT_CLIENT_SECRET`. */
  clientSecret: string;
  /** `TOLLGATE_PUBLIC_URL` (no trailing slash); the signed URL is this + the request path and query. */
  publicUrl: string;
  receiver: Pick<WebhookReceiver, "receiveBatch">;
  logger?: WebhookLogger;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue "/webhooks/hubspot" */
  path?: string;
  /** Largest body accepted; HubSpot's 100-event batches are far below it. @defaultValue "1mb" */
  limit?: string;
}

/** The 200 body. */
export interface HubSpotWebhookResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

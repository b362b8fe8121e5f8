import type { Redis } from "ioredis";
import type { HubSpotChange, WebhookJob } from "./events.js";
import type { RejectedEvent } from "./parse-hubspot-batch.js";

/** The slice of a pino logger the webhook code uses; pass the app's logger. */
export interface WebhookLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WebhookReceiverOptions {
  /** Redis for the dedupe marks, the tenant registry and the BullMQ queues. Must not use `keyPrefix`. */
  redis: Redis;
  /**
   * Namespaces every key and the BullMQ prefix, so tests and deployments can share a Redis.
   * @defaultValue "tollgate"
   */
  prefix?: string;
  /**
   * How long a change is remembered as seen, at least (up to a day more: marks are kept in
   * daily sets). HubSpot retries for 24 hours.
   * @defaultValue 259200 (3 days)
   */
  dedupeTtlSeconds?: number;
  /** Clock for the daily dedupe sets, epoch ms. @defaultValue Date.now */
  now?: () => number;
  /**
   * The longest `receive` may take before it gives up with a 503. HubSpot counts a batch as
   * failed after 5 s, so answering 503 sooner lets its retry start cleanly.
   * @see https://developers.hubspot.com/docs/api/webhooks (retries)
   * @defaultValue 3000
   */
  enqueueTimeoutMs?: number;
  /** @defaultValue 10 — HubSpot's own retry count; after that the job is kept as failed. */
  attempts?: number;
  /** First retry delay of the exponential backoff. @defaultValue 1000 */
  backoffMs?: number;
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
  /** Changes newly enqueued. */
  accepted: number;
  /** Changes already seen (earlier delivery, or twice in this batch) and dropped. */
  duplicates: number;
  jobs: EnqueuedJob[];
}

export interface WebhookReceiver {
  /**
   * Drops changes already seen, enqueues the rest durably (one job per tenant), then marks
   * them seen. Resolves only once the jobs are in Redis.
   * @throws QueueUnavailableError when Redis fails or is too slow; nothing is marked seen.
   */
  receive(changes: readonly HubSpotChange[]): Promise<ReceiveResult>;
  close(): Promise<void>;
}

export interface WebhookJobMeta {
  jobId: string;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
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
  receiver: Pick<WebhookReceiver, "receive">;
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

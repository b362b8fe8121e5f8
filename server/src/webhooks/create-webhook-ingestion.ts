import type { Redis } from "ioredis";
import { enforceChanges, type EnforcementDeps } from "../enforce/index.js";
import type { Logger } from "../observability/index.js";
import type { ReceiptStore } from "./create-receipt-store.js";
import { createReceiptSweeper, type ReceiptSweeper } from "./create-receipt-sweeper.js";
import { toCrmChange } from "./to-crm-change.js";
import type { WebhookWorkers, WebhookWorkersOptions } from "./types.js";
import type { WebhookRetryOptions } from "./webhook-job-retry.js";
import { createWebhookWorkers } from "./workers.js";

export interface WebhookIngestion {
  /** Starts the tenant workers, then the sweeper (which also sweeps once at once). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How queued HubSpot webhook batches reach enforcement: one worker per tenant runs
 * `enforceChanges`, and receipts Redis lost (or whose job ended without them) are queued again,
 * at start and periodically.
 */
export function createWebhookIngestion(options: {
  redis: Redis;
  prefix: string;
  logger: Logger;
  receipts: ReceiptStore;
  retry: WebhookRetryOptions;
  sweepIntervalMs: number;
  enforcement: EnforcementDeps;
  onSetAside: NonNullable<WebhookWorkersOptions["onSetAside"]>;
  /** A batch that keeps failing (alert an operator); it goes on retrying. */
  onFailing?: WebhookWorkersOptions["onFailing"];
  /** `TOLLGATE_JOB_LOCK_MS`: a batch whose process died runs again after one to two of these. */
  lockDurationMs?: number;
}): WebhookIngestion {
  const { redis, prefix, logger, receipts, retry, enforcement } = options;
  let workers: WebhookWorkers | undefined;
  let sweeper: ReceiptSweeper | undefined;
  return {
    async start() {
      workers = await createWebhookWorkers({
        redis,
        prefix,
        logger,
        receipts,
        retry,
        onSetAside: options.onSetAside,
        ...(options.onFailing ? { onFailing: options.onFailing } : {}),
        ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
        handler: async (job, meta) => {
          const summary = await enforceChanges(enforcement, job.tenantId, job.changes.map(toCrmChange), {
            // The receipt is done exactly when the batch's enforcement commits.
            inTransaction: (tx) => meta.settle(tx),
          });
          logger.debug({ tenantId: job.tenantId, ...summary }, "webhook batch enforced");
        },
      });
      sweeper = createReceiptSweeper({
        redis,
        prefix,
        receipts,
        retry,
        logger,
        intervalMs: options.sweepIntervalMs,
        graceMs: Math.max(2 * options.sweepIntervalMs, 1_000),
      });
      await sweeper.start();
    },
    async close() {
      await sweeper?.close();
      await workers?.close();
    },
  };
}

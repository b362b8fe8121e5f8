import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { ReceiptStore, StaleReceipt } from "./create-receipt-store.js";
import { receiptRef } from "./receipt-ref.js";
import type { WebhookLogger } from "./types.js";
import { WEBHOOK_JOB_NAME, webhookJobOptions, type WebhookRetryOptions } from "./webhook-job-retry.js";
import { DEFAULT_PREFIX, tenantQueueName } from "./webhook-keys.js";

export interface ReceiptSweeperOptions {
  redis: Redis;
  receipts: ReceiptStore;
  /** Must equal the receiver's. @defaultValue "tollgate" */
  prefix?: string;
  /** A pending receipt younger than this is left to its job. @defaultValue 60_000 */
  graceMs?: number;
  /** @defaultValue 30_000 */
  intervalMs?: number;
  /** Receipts per sweep. @defaultValue 500 */
  limit?: number;
  /** Done receipts are forgotten after this. @defaultValue 7 days */
  retentionMs?: number;
  retry?: WebhookRetryOptions;
  logger?: WebhookLogger;
}

export interface ReceiptSweeper {
  /** Queues stale pending receipts again; returns how many. Also runs on start. */
  sweep(): Promise<number>;
  start(): Promise<void>;
  close(): Promise<void>;
}

// States in which a job will still run on its own.
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * The receipts' safety net (docs/operations.md, "What survives losing Redis"): a pending
 * receipt whose job Redis no longer has (flushed, failed over to a replica that had not caught
 * up) or whose job ended without marking it is queued again. Runs on start and periodically;
 * enforcement dedupes by event key, so queuing one too many is harmless.
 *
 * A job that finished without marking its receipt (it ran before the receipt committed) keeps
 * its id in Redis for a while, so the re-queued job gets the receipt id plus `.n`.
 */
export function createReceiptSweeper(options: ReceiptSweeperOptions): ReceiptSweeper {
  const { redis, receipts, logger } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const queues = new Map<string, Queue>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const queueFor = (tenantId: string): Queue => {
    let queue = queues.get(tenantId);
    if (!queue) {
      queue = new Queue(tenantQueueName(tenantId), { connection: redis, prefix });
      queue.on("error", (err) => logger?.error({ err, tenantId }, "receipt sweeper queue error"));
      queues.set(tenantId, queue);
    }
    return queue;
  };

  async function requeue(stale: StaleReceipt[]): Promise<string[]> {
    const queued: string[] = [];
    for (const r of stale) {
      const queue = queueFor(r.tenantId);
      const state = await queue.getJobState(r.id);
      if (LIVE_STATES.has(state)) continue;
      if (state === "failed") {
        await (await queue.getJob(r.id))?.retry("failed");
      } else {
        const jobId = state === "unknown" ? r.id : `${r.id}.${r.requeues + 1}`;
        await queue.add(WEBHOOK_JOB_NAME, receiptRef(r.tenantId, r.id), { jobId, ...webhookJobOptions(options.retry) });
      }
      queued.push(r.id);
    }
    if (queued.length > 0) logger?.warn({ receipts: queued.length }, "queued webhook receipts again");
    return queued;
  }

  async function sweepNow(): Promise<number> {
    const n = await receipts.sweepStale(options.graceMs ?? 60_000, options.limit ?? 500, requeue);
    await receipts.prune(options.retentionMs ?? 7 * 24 * 3600_000);
    return n;
  }

  const sweep = (): Promise<number> => {
    // One sweep at a time per process; a timer firing during a slow one joins it.
    running ??= sweepNow().finally(() => (running = undefined));
    return running;
  };

  return {
    sweep,
    async start() {
      await sweep();
      timer = setInterval(() => {
        sweep().catch((err: unknown) => logger?.error({ err }, "webhook receipt sweep failed"));
      }, options.intervalMs ?? 30_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

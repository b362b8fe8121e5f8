import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Sql } from "../db/index.js";
import { decodeWebhookJob } from "./decode-webhook-job.js";
import { isReceiptRef } from "./receipt-ref.js";
import type { WebhookWorkers, WebhookWorkersOptions } from "./types.js";
import { CAPPED_BACKOFF, cappedBackoff } from "./webhook-job-retry.js";
import { DEFAULT_PREFIX, getWebhookKeys, isValidTenantId, tenantQueueName } from "./webhook-keys.js";

/** Tries of a job whose receipt is not there yet before it counts as never recorded. */
const MISSING_RECEIPT_ATTEMPTS = 5;

/** A re-queued receipt's job id is the receipt id plus `.n` (see create-receipt-sweeper.ts). */
const receiptIdOf = (jobId: string) => jobId.split(".")[0]!;

/**
 * Runs a BullMQ worker per tenant queue, so one tenant's backlog or failures never hold up
 * another's (docs/contracts.md#rules-that-never-bend). Tenants come from PostgreSQL's registry (and Redis's, for tests
 * without
 * a database): all of them on start, a new one as soon as the receiver announces it, and a
 * periodic re-read in case an announcement was missed (pub/sub does not queue messages) or
 * Redis lost its registry. Each tenant queue has a global concurrency of 1, so however many
 * processes run workers, one tenant's batches are enforced one at a time, in order.
 *
 * Retries: without limit, with a capped backoff (infrastructure errors never drop work); a job
 * whose data does not validate fails at once with `UnrecoverableError` and its receipt is set
 * aside (`onSetAside`), as retrying cannot fix it. A job still failing after `alertAfterAttempts`
 * is reported through `onFailing` on every further failure.
 *
 * @example
 * const workers = await createWebhookWorkers({ redis, prefix: "tollgate", receipts, handler: async (job, meta) =>
 * enforce(job, meta.settle) });
 * await workers.close();
 */
export async function createWebhookWorkers(options: WebhookWorkersOptions): Promise<WebhookWorkers> {
  const { redis, handler, logger, receipts } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const keys = getWebhookKeys(prefix);
  // BullMQ workers block on Redis and refuse a connection that gives up on requests.
  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  const subscriber = redis.duplicate();
  subscriber.on("error", (err) => logger?.warn({ err }, "webhook registry subscriber error"));
  const workers = new Map<string, Worker<unknown>>();
  const alertAfter = options.alertAfterAttempts ?? 5;
  let closed = false;

  /** The job's batch: from its receipt when the job only names it, else carried in the job. */
  const batchOf = async (job: Job<unknown>, receiptId: string): Promise<unknown> => {
    if (!isReceiptRef(job.data)) return job.data;
    const stored = await receipts?.load(job.data.receipt);
    if (stored === undefined) {
      // The 200 waits for receipt and job together, so a job can run before its receipt commits.
      // A receipt still missing after a while was never committed: the CRM got a 503 and
      // redelivers, which records it again (and the sweep queues it).
      if (job.attemptsMade < MISSING_RECEIPT_ATTEMPTS) throw new Error(`receipt ${receiptId} is not committed yet`);
      return undefined;
    }
    return stored.status === "pending" ? (JSON.parse(stored.job) as unknown) : undefined;
  };

  const processorFor = (tenantId: string) => async (job: Job<unknown>) => {
    const receiptId = receiptIdOf(job.id ?? "");
    const data = await batchOf(job, receiptId);
    if (data === undefined) return; // already done, set aside, or never recorded
    // Compact rows (or an older release's verbose job) back to changes, validated.
    const decoded = decodeWebhookJob(data);
    const refuse = async (issue: string) => {
      await receipts?.setAside(receiptId, issue);
      await options.onSetAside?.({ tenantId, receiptId, issue });
      throw new UnrecoverableError(issue);
    };
    if (!decoded.ok) return refuse(`malformed webhook job ${job.id}: ${decoded.issue}`);
    // A job in another tenant's queue would act on the wrong portal: never run it.
    if (decoded.job.tenantId !== tenantId)
      return refuse(`webhook job ${job.id} names tenant ${decoded.job.tenantId} but sits in ${tenantId}'s queue`);
    let settled = false;
    await handler(decoded.job, {
      jobId: job.id ?? "",
      receiptId,
      attemptsMade: job.attemptsMade,
      settle: async (sql: Sql) => {
        await receipts?.markDone([receiptId], sql);
        settled = true;
      },
    });
    // A handler that had nothing to commit (every change already processed) did not settle.
    if (!settled) await receipts?.markDone([receiptId]);
  };

  // Each tenant's start, claimed synchronously: a notification and a registry read racing each
  // other never start two, and whoever asks second waits for the same start to finish.
  const starting = new Map<string, Promise<void>>();
  const start = (tenantId: string): Promise<void> => {
    if (closed) return Promise.resolve();
    let started = starting.get(tenantId);
    if (!started) {
      started = startWorker(tenantId);
      starting.set(tenantId, started);
    }
    return started;
  };
  const startWorker = async (tenantId: string): Promise<void> => {
    if (!isValidTenantId(tenantId)) {
      logger?.warn({ tenantId }, "ignoring an invalid tenant id in the webhook registry");
      return;
    }
    const name = tenantQueueName(tenantId);
    if (options.concurrency === undefined || options.concurrency === 1) {
      // One consumer per tenant across every process (docs/contracts.md#rules-that-never-bend: per-tenant order).
      const queue = new Queue(name, { connection, prefix });
      queue.on("error", (err) => logger?.warn({ err, tenantId }, "webhook queue error"));
      try {
        await queue.setGlobalConcurrency(1);
      } catch (err) {
        // Closing while a worker starts (or Redis away): the next refresh sets it again.
        if (!closed) logger?.warn({ err, tenantId }, "could not set the tenant queue's global concurrency");
      } finally {
        await queue.close().catch(() => undefined);
      }
    }
    const worker = new Worker<unknown>(name, processorFor(tenantId), {
      connection,
      prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.lockDurationMs ?? 30_000,
      // A stalled job is a crashed process; its batch is safe in its receipt, so it always runs again.
      maxStalledCount: 1_000_000,
      settings: { backoffStrategy: (n, type) => (type === CAPPED_BACKOFF ? cappedBackoff(options.retry)(n) : 0) },
    });
    workers.set(tenantId, worker);
    // Fully connected before anyone can close it: a worker closed mid-start leaves a command
    // rejected on a closed connection.
    await worker.waitUntilReady().catch(() => undefined);
    worker.on("error", (err) => logger?.error({ err, tenantId }, "webhook worker error"));
    worker.on("failed", (job, err) => {
      const attempts = job?.attemptsMade ?? 0;
      const entry = { err, tenantId, jobId: job?.id, attemptsMade: attempts };
      if (attempts < alertAfter || err instanceof UnrecoverableError) logger?.warn(entry, "webhook job failed");
      else {
        logger?.error(entry, "webhook job keeps failing; retrying");
        void Promise.resolve(
          options.onFailing?.({ tenantId, jobId: job?.id ?? "", attempts, error: err.message }),
        ).catch(() => undefined);
      }
    });
  };

  const refresh = async (): Promise<void> => {
    const fromDb = receipts ? await receipts.tenants("hubspot") : [];
    const fromRedis = await redis.smembers(keys.tenants).catch(() => [] as string[]);
    for (const tenantId of new Set([...fromDb, ...fromRedis])) await start(tenantId);
  };

  subscriber.on("message", (channel: string, tenantId: string) => {
    if (channel === keys.tenantsChannel)
      start(tenantId).catch((err: unknown) => logger?.warn({ err, tenantId }, "could not start a webhook worker"));
  });
  // Subscribe before the first read, so a tenant registered in between is announced to us.
  await subscriber.subscribe(keys.tenantsChannel);
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => logger?.warn({ err }, "could not re-read the webhook tenant registry"));
  }, options.refreshIntervalMs ?? 5000);
  timer.unref();

  return {
    tenants: () => [...workers.keys()],
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all([...workers.values()].map((w) => w.close()));
      workers.clear();
      await Promise.allSettled([subscriber.quit(), connection.quit()]);
    },
  };
}

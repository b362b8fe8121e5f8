import { UnrecoverableError, Worker, type Job } from "bullmq";
import { decodeWebhookJob } from "./decode-webhook-job.js";
import type { WebhookWorkers, WebhookWorkersOptions } from "./types.js";
import { DEFAULT_PREFIX, getWebhookKeys, isValidTenantId, tenantQueueName } from "./webhook-keys.js";

/**
 * Runs a BullMQ worker per tenant queue, so one tenant's backlog or failures never hold up
 * another's (docs/contracts.md#rules-that-never-bend). Tenants are found in the registry the receiver keeps: all of them
 * on start, a new one as soon as the receiver announces it, and a periodic re-read in case
 * an announcement was missed (pub/sub does not queue messages).
 *
 * Retries: the receiver sets `attempts` and exponential backoff on each job; a job whose data
 * does not validate fails at once with `UnrecoverableError`, as retrying cannot fix it.
 *
 * @example
 * const workers = await createWebhookWorkers({ redis, prefix: "tollgate", handler: async ({ tenantId, changes }) => enforce(tenantId, changes) });
 * // … on shutdown
 * await workers.close();
 */
export async function createWebhookWorkers(options: WebhookWorkersOptions): Promise<WebhookWorkers> {
  const { redis, handler, logger } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const keys = getWebhookKeys(prefix);
  // BullMQ workers block on Redis and refuse a connection that gives up on requests.
  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  const subscriber = redis.duplicate();
  const workers = new Map<string, Worker<unknown>>();
  let closed = false;

  const processorFor = (tenantId: string) => async (job: Job<unknown>) => {
    // Compact rows (or an older release's verbose job) back to changes, validated.
    const decoded = decodeWebhookJob(job.data);
    if (!decoded.ok) throw new UnrecoverableError(`malformed webhook job ${job.id}: ${decoded.issue}`);
    // A job in another tenant's queue would act on the wrong portal: never run it.
    if (decoded.job.tenantId !== tenantId)
      throw new UnrecoverableError(
        `webhook job ${job.id} names tenant ${decoded.job.tenantId} but sits in ${tenantId}'s queue`,
      );
    await handler(decoded.job, { jobId: job.id ?? "", attemptsMade: job.attemptsMade });
  };

  const start = (tenantId: string): void => {
    if (closed || workers.has(tenantId)) return;
    if (!isValidTenantId(tenantId)) {
      logger?.warn({ tenantId }, "ignoring an invalid tenant id in the webhook registry");
      return;
    }
    const worker = new Worker<unknown>(tenantQueueName(tenantId), processorFor(tenantId), {
      connection,
      prefix,
      concurrency: options.concurrency ?? 1,
    });
    worker.on("error", (err) => logger?.error({ err, tenantId }, "webhook worker error"));
    worker.on("failed", (job, err) =>
      logger?.warn({ err, tenantId, jobId: job?.id, attemptsMade: job?.attemptsMade }, "webhook job failed"),
    );
    workers.set(tenantId, worker);
  };

  const refresh = async (): Promise<void> => {
    for (const tenantId of await redis.smembers(keys.tenants)) start(tenantId);
  };

  subscriber.on("message", (channel: string, tenantId: string) => {
    if (channel === keys.tenantsChannel) start(tenantId);
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

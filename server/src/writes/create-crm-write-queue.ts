import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Sql } from "../db/index.js";
import { createLogger } from "../observability/index.js";
import { backoffDelay } from "./backoff-delay.js";
import { flushTenant, type FlushContext, type FlushOutcome } from "./flush-tenant.js";
import { insertWrites } from "./insert-writes.js";
import { loadSql } from "./load-sql.js";
import { nextDueDelay } from "./next-due-delay.js";
import { parsePlannedWrites, WRITE_STATUSES, type PlannedWrite } from "./planned-write.js";
import { tenantQueueName } from "./tenant-queue-name.js";
import type { CrmWriteQueue, CrmWriteQueueOptions, WriteStats } from "./types.js";
import { waitUntilDrained } from "./wait-until-drained.js";

// One job id per tenant queue makes the flush debounced: adding it while it waits or is delayed
// is a no-op, and BullMQ never runs two flushes of one tenant at once, so batches keep order.
const FLUSH_JOB_ID = "flush";

interface TenantLane {
  queue: Queue;
  worker?: Worker;
  /** Flushes that threw in a row; spaces out the next try. */
  failures: number;
}

/**
 * The durable, batched, rate-limited path for every write Tollgate makes to a CRM (reverts,
 * applies, provenance stamps). Postgres holds each intended write (`crm_writes`); Redis holds
 * one debounced "flush" job per tenant, processed under a per-tenant BullMQ limiter.
 *
 * @example
 * const writes = await createCrmWriteQueue({ db, redis: { host: "127.0.0.1" }, audit, connectorFor });
 * await writes.start();
 * const ids = await db.transaction(async (tx) => {
 *   const [intent] = await audit.appendMany([revertIntent], { tx });
 *   return writes.enqueue([{ tenantId, crm: "hubspot", objectType: "contacts", objectId: "42",
 *     properties: { industry: "Retail" }, purpose: "revert", causedBy: intent.event_id }], { tx });
 * });
 * await writes.kick([tenantId]);
 */
export async function createCrmWriteQueue(options: CrmWriteQueueOptions): Promise<CrmWriteQueue> {
  const { db } = options;
  const logger = options.logger ?? createLogger({ level: "silent" });
  const prefix = options.prefix ?? "tollgate";
  const limiter = options.limiter ?? { max: 9, durationMs: 1_000 };
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const retry = {
    attempts: options.retry?.attempts ?? 5,
    baseDelayMs: options.retry?.baseDelayMs ?? 1_000,
    maxDelayMs: options.retry?.maxDelayMs ?? 60_000,
    protectiveMaxAgeMs: options.retry?.protectiveMaxAgeMs ?? 24 * 3600_000,
  };
  const ctx: FlushContext = {
    db,
    audit: options.audit,
    connectorFor: options.connectorFor,
    logger,
    batchSize: options.batchSize,
    rateLimitHeadroom: options.rateLimitHeadroom ?? 5,
    retry,
    guard: options.guard,
    cancel: options.cancel,
    onSettled: options.onSettled,
    onFailing: options.onFailing,
    now: Date.now,
  };

  // BullMQ workers block on Redis, which needs maxRetriesPerRequest: null; a duplicate of the
  // caller's instance lets us set that and close it without touching theirs.
  const redis = isRedisInstance(options.redis)
    ? options.redis.duplicate({ maxRetriesPerRequest: null })
    : new Redis({ ...options.redis, maxRetriesPerRequest: null });
  redis.on("error", (err) => logger.warn({ err }, "crm write queue: redis error"));

  const lanes = new Map<string, TenantLane>();
  let started = false;
  let closing = false;
  let sweepTimer: NodeJS.Timeout | undefined;

  function laneFor(tenantId: string): TenantLane {
    let lane = lanes.get(tenantId);
    if (!lane) {
      const queue = new Queue(tenantQueueName(tenantId), { connection: redis, prefix });
      queue.on("error", (err) => logger.warn({ err, tenantId }, "crm write queue: queue error"));
      lane = { queue, failures: 0 };
      lanes.set(tenantId, lane);
    }
    if (started && !lane.worker && !closing) lane.worker = startWorker(tenantId, lane);
    return lane;
  }

  function startWorker(tenantId: string, lane: TenantLane): Worker {
    const worker = new Worker(
      tenantQueueName(tenantId),
      async (_job: Job): Promise<FlushOutcome["kind"]> => {
        const outcome = await flushTenant(ctx, tenantId);
        if (outcome.kind === "rate_limited") {
          logger.info({ tenantId, waitMs: outcome.waitMs }, "crm write queue: pausing for the CRM's rate limit");
          // Pauses this tenant's queue for every worker; the job goes back to waiting without
          // using an attempt. (`queue.rateLimit` is what `worker.rateLimit` became in BullMQ 5.)
          await lane.queue.rateLimit(outcome.waitMs);
          throw Worker.RateLimitError();
        }
        return outcome.kind;
      },
      {
        connection: redis,
        prefix,
        concurrency: 1,
        limiter: { max: limiter.max, duration: limiter.durationMs },
        lockDuration: lockDurationMs,
        stalledInterval: lockDurationMs,
        // A stalled flush is a crashed process; its rows are safe in Postgres, so keep retrying.
        maxStalledCount: 1_000,
      },
    );
    worker.on("error", (err) => logger.warn({ err, tenantId }, "crm write queue: worker error"));
    // Scheduling the next flush here, after BullMQ removed the finished job, closes the race in
    // which a kick lands while the job is still active (and is dropped as a duplicate id): the
    // kicked rows were committed before the kick, so the query below sees them.
    worker.on("completed", () => {
      lane.failures = 0;
      void scheduleNext(tenantId, 0);
    });
    worker.on("failed", (_job, err) => {
      lane.failures += 1;
      logger.error({ err, tenantId, failures: lane.failures }, "crm write queue: flush failed");
      // A flush that cannot run at all (PostgreSQL away) holds every protective write of the tenant.
      if (lane.failures >= 3)
        void Promise.resolve(
          options.onFailing?.({ tenantId, rowIds: [], attempts: lane.failures, error: err.message }),
        ).catch(() => undefined);
      void scheduleNext(tenantId, backoffDelay(lane.failures, retry.baseDelayMs, retry.maxDelayMs));
    });
    return worker;
  }

  async function addFlush(tenantId: string, delayMs: number): Promise<void> {
    const lane = laneFor(tenantId);
    await lane.queue.add(
      "flush",
      { tenantId },
      { jobId: FLUSH_JOB_ID, delay: delayMs, removeOnComplete: true, removeOnFail: true },
    );
  }

  async function scheduleNext(tenantId: string, minDelayMs: number): Promise<void> {
    if (closing) return;
    try {
      const due = await nextDueDelay(db, tenantId, options.cancel);
      if (due !== undefined && !closing) await addFlush(tenantId, Math.max(minDelayMs, due));
    } catch (err) {
      // Rows stay pending in Postgres; the next kick or start picks them up.
      logger.error({ err, tenantId }, "crm write queue: could not schedule the next flush");
    }
  }

  async function sweep(): Promise<void> {
    const tenants = (await db.query<{ tenant_id: string }>(loadSql("select-tenants-with-work"))).rows.map(
      (r) => r.tenant_id,
    );
    await Promise.all(tenants.map((t) => scheduleNext(t, 0)));
  }

  async function kick(tenantIds: Iterable<string>): Promise<void> {
    if (closing) return;
    await Promise.all([...new Set(tenantIds)].map((t) => addFlush(t, 0)));
  }

  return {
    async enqueue(writes: readonly PlannedWrite[], opts: { tx?: Sql } = {}) {
      const parsed = parsePlannedWrites(writes);
      const ids = await insertWrites(opts.tx ?? db, parsed);
      // In the caller's transaction the rows are not visible yet: the caller kicks after commit.
      if (!opts.tx) await kick(parsed.map((w) => w.tenantId));
      return ids;
    },

    kick,

    async start() {
      if (started) return;
      await db.query(loadSql("reset-in-flight"));
      started = true;
      for (const [tenantId, lane] of lanes) if (!lane.worker) lane.worker = startWorker(tenantId, lane);
      await sweep();
      // Whatever happened to a kick (lost with Redis, failed after a commit, a scheduling error),
      // every tenant with unsettled rows gets a flush within one sweep.
      sweepTimer = setInterval(() => {
        sweep().catch((err: unknown) => logger.error({ err }, "crm write queue: sweep failed"));
      }, options.sweepIntervalMs ?? 30_000);
      sweepTimer.unref();
    },

    async stats(tenantId: string) {
      const stats = Object.fromEntries(WRITE_STATUSES.map((s) => [s, 0])) as WriteStats;
      const { rows } = await db.query<{ status: keyof WriteStats; n: number }>(loadSql("count-by-status"), [tenantId]);
      for (const r of rows) stats[r.status] = r.n;
      return stats;
    },

    drain(tenantId?: string, opts: { timeoutMs?: number } = {}) {
      return waitUntilDrained(db, tenantId, opts.timeoutMs ?? 30_000);
    },

    async close(opts: { force?: boolean } = {}) {
      if (closing) return;
      closing = true;
      if (sweepTimer) clearInterval(sweepTimer);
      const force = opts.force ?? false;
      await Promise.all([...lanes.values()].map((l) => l.worker?.close(force)));
      await Promise.all([...lanes.values()].map((l) => l.queue.close()));
      if (force) redis.disconnect();
      else await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function isRedisInstance(value: CrmWriteQueueOptions["redis"]): value is Redis {
  return typeof (value as Redis).duplicate === "function";
}

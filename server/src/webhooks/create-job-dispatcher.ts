import type { ReceiptRef } from "./receipt-ref.js";
import type { WebhookLogger } from "./types.js";

/** One job for a recorded receipt, as BullMQ's `addBulk` takes it. */
export interface ReceiptJob {
  name: string;
  data: ReceiptRef;
  opts: { jobId: string };
}

export interface JobDispatcherOptions {
  /** The tenant's BullMQ queue. */
  queueFor(tenantId: string): { addBulk(jobs: ReceiptJob[]): Promise<unknown> };
  /** Tells the workers of every process that the tenant has a queue; runs before its jobs are added. */
  announce(tenantId: string): Promise<void>;
  logger?: WebhookLogger | undefined;
  /** How long jobs gather before one round trip adds them all. @defaultValue 5 */
  windowMs?: number;
  /** Longest wait between attempts while Redis fails (doubling from `windowMs`). @defaultValue 5000 */
  retryMaxMs?: number;
  /**
   * Jobs held while Redis fails. Past it the oldest are let go: their receipts stay pending in
   * PostgreSQL, and the receipt sweep queues them. @defaultValue 10000
   */
  maxPending?: number;
  /** How long `close` keeps trying to add what is left. @defaultValue 2000 */
  closeTimeoutMs?: number;
}

export interface JobDispatcher {
  /** Queues a recorded receipt's job; returns at once (the receipt is the durable copy). */
  dispatch(tenantId: string, job: ReceiptJob): void;
  /** Resolves once every job dispatched so far is in Redis, or was let go after a failure. */
  flush(): Promise<void>;
  /** Adds what is left (for at most `closeTimeoutMs`), then stops. */
  close(): Promise<void>;
}

/**
 * Hands the jobs of recorded receipts to BullMQ after the 200, a few milliseconds' worth in one
 * round trip (docs/operations.md, "What survives losing Redis"). The 200 waits only for the
 * receipt in PostgreSQL; a Redis round trip on every request cost the intake more than the
 * receipt itself (bench/webhook-ingest.ts). While Redis fails, jobs wait here and are tried
 * again with capped backoff; whatever this process never adds — it died, or held too many — the
 * receipt sweep queues from PostgreSQL.
 */
export function createJobDispatcher(options: JobDispatcherOptions): JobDispatcher {
  const { queueFor, announce, logger } = options;
  const windowMs = options.windowMs ?? 5;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const maxPending = options.maxPending ?? 10_000;
  let pending: [tenantId: string, job: ReceiptJob][] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;
  let letGo = 0;
  let closed = false;

  /** One round: every pending job, grouped by tenant, one `addBulk` a tenant. */
  async function addPending(): Promise<void> {
    const taking = pending;
    pending = [];
    const byTenant = new Map<string, ReceiptJob[]>();
    for (const [tenantId, job] of taking) {
      const jobs = byTenant.get(tenantId);
      if (jobs) jobs.push(job);
      else byTenant.set(tenantId, [job]);
    }
    const failed: [string, ReceiptJob][] = [];
    let lastError: unknown;
    await Promise.all(
      [...byTenant].map(async ([tenantId, jobs]) => {
        try {
          await announce(tenantId);
          await queueFor(tenantId).addBulk(jobs);
        } catch (err) {
          lastError = err;
          for (const job of jobs) failed.push([tenantId, job]);
        }
      }),
    );
    if (failed.length === 0) {
      if (failures > 0 || letGo > 0) logger?.warn({ attempts: failures, letGo }, "webhook jobs reach Redis again");
      failures = 0;
      letGo = 0;
      return;
    }
    failures++;
    // Failed jobs go back in front, so a tenant's batches keep their order.
    pending = [...failed, ...pending];
    letGoPastLimit();
    if (failures === 1)
      logger?.error(
        { err: lastError, waiting: pending.length },
        "could not queue recorded webhook batches; retrying (their receipts are safe in PostgreSQL)",
      );
  }

  /** Past `maxPending` the oldest jobs are let go: their receipts are pending, and the sweep queues them. */
  function letGoPastLimit(): void {
    const over = pending.length - maxPending;
    if (over <= 0) return;
    pending = pending.slice(over);
    const before = letGo;
    letGo += over;
    if (before === 0 || Math.floor(before / maxPending) < Math.floor(letGo / maxPending))
      logger?.error({ letGo }, "too many webhook jobs waiting for Redis; the receipt sweep will queue the oldest");
  }

  const delay = () => (failures === 0 ? windowMs : Math.min(retryMaxMs, windowMs * 2 ** Math.min(failures, 20)));

  function run(): Promise<void> {
    timer = undefined;
    running = addPending().finally(() => {
      running = undefined;
      if (pending.length > 0 && !closed) schedule();
    });
    return running;
  }

  function schedule(): void {
    if (timer || running) return;
    timer = setTimeout(() => void run(), delay());
  }

  async function flush(): Promise<void> {
    while (running || pending.length > 0) {
      if (running) {
        await running;
        continue;
      }
      clearTimeout(timer);
      const before = failures;
      await run();
      if (failures > before) return;
    }
  }

  return {
    dispatch(tenantId, job) {
      pending.push([tenantId, job]);
      // Redis may hold a round for as long as it is away (ioredis queues commands offline).
      if (pending.length > maxPending) letGoPastLimit();
      if (!closed) schedule();
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      let giveUp: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        giveUp = setTimeout(resolve, options.closeTimeoutMs ?? 2000);
      });
      await Promise.race([flush(), timeout]).finally(() => clearTimeout(giveUp));
      if (pending.length > 0)
        logger?.warn(
          { left: pending.length },
          "closing with webhook jobs not yet queued; the receipt sweep will queue them",
        );
    },
  };
}

import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { TollgateError } from "../errors/index.js";
import { QueueUnavailableError } from "./errors.js";
import type { HubSpotChange, WebhookJob } from "./events.js";
import type { EnqueuedJob, ReceiveResult, WebhookReceiver, WebhookReceiverOptions } from "./types.js";
import { DEFAULT_PREFIX, getWebhookKeys, tenantQueueName } from "./webhook-keys.js";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

type PipelineResult = [error: Error | null, result: unknown][] | null;

/** ioredis reports per-command failures inside the result instead of rejecting. */
function unwrap(results: PipelineResult): unknown[] {
  if (!results) throw new Error("redis pipeline returned no results");
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`enqueue took longer than ${ms} ms`)), ms);
  });
  // The work may still settle after we gave up; its outcome no longer matters to anyone.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Dedupe then durable enqueue for HubSpot changes (DESIGN §1). One BullMQ queue per tenant
 * (DESIGN §9), one job per tenant per batch.
 *
 * Ordering, and why: seen-check → enqueue → mark. Marking only after the enqueue resolved
 * means a failed attempt leaves nothing behind that could make HubSpot's retry look like a
 * duplicate. Two deliveries of the same batch racing each other both pass the seen-check,
 * but their jobs get the same id (a hash of the change keys) and BullMQ keeps one.
 *
 * @example
 * const receiver = createWebhookReceiver({ redis, prefix: "tollgate" });
 * const { accepted, duplicates } = await receiver.receive(changes);
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { redis, logger } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const ttl = options.dedupeTtlSeconds ?? 3 * 24 * 3600;
  const timeoutMs = options.enqueueTimeoutMs ?? 3000;
  const keys = getWebhookKeys(prefix);
  const queues = new Map<string, Queue<WebhookJob>>();
  const registered = new Set<string>();

  const queueFor = (tenantId: string): Queue<WebhookJob> => {
    let queue = queues.get(tenantId);
    if (!queue) {
      queue = new Queue<WebhookJob>(tenantQueueName(tenantId), {
        connection: redis,
        prefix,
        defaultJobOptions: {
          attempts: options.attempts ?? 10,
          backoff: { type: "exponential", delay: options.backoffMs ?? 1000 },
          // Kept a while so a retry racing this delivery finds the job id and adds nothing.
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      // Connection errors surface through `add`; an unhandled 'error' event would crash the process.
      queue.on("error", (err) => logger?.error({ err, tenantId }, "webhook queue error"));
      queues.set(tenantId, queue);
    }
    return queue;
  };

  // Workers learn of a tenant's queue from this set (and a notification on first sight).
  const register = async (tenantId: string): Promise<void> => {
    if (registered.has(tenantId)) return;
    const added = await redis.sadd(keys.tenants, tenantId);
    if (added === 1) await redis.publish(keys.tenantsChannel, tenantId);
    registered.add(tenantId);
  };

  async function receiveNow(changes: readonly HubSpotChange[]): Promise<ReceiveResult> {
    const unique = new Map<string, HubSpotChange>();
    for (const change of changes) {
      const hash = sha256(change.dedupeKey);
      if (!unique.has(hash)) unique.set(hash, change);
    }
    let duplicates = changes.length - unique.size;
    const entries = [...unique];
    if (entries.length === 0) return { accepted: 0, duplicates, jobs: [] };

    const check = redis.pipeline();
    for (const [hash, change] of entries) check.exists(keys.seen(change.tenantId, hash));
    const seen = unwrap(await check.exec());
    const byTenant = new Map<string, [string, HubSpotChange][]>();
    entries.forEach((entry, i) => {
      if (seen[i] === 1) {
        duplicates += 1;
        return;
      }
      const list = byTenant.get(entry[1].tenantId) ?? [];
      list.push(entry);
      byTenant.set(entry[1].tenantId, list);
    });

    const jobs = await Promise.all(
      [...byTenant].map(async ([tenantId, list]): Promise<EnqueuedJob> => {
        const queue = queueFor(tenantId);
        await register(tenantId);
        const jobId = `hs-${sha256(list.map(([hash]) => hash).sort().join("\n"))}`;
        await queue.add("hubspot.batch", { tenantId, changes: list.map(([, change]) => change) }, { jobId });
        return { tenantId, queue: queue.name, jobId, changes: list.length };
      }),
    );

    const mark = redis.pipeline();
    for (const list of byTenant.values()) for (const [hash, change] of list) mark.set(keys.seen(change.tenantId, hash), "1", "EX", ttl);
    if (byTenant.size > 0) unwrap(await mark.exec());
    const accepted = jobs.reduce((n, job) => n + job.changes, 0);
    return { accepted, duplicates, jobs };
  }

  return {
    async receive(changes) {
      try {
        return await withTimeout(receiveNow(changes), timeoutMs);
      } catch (err) {
        if (err instanceof TollgateError) throw err;
        throw new QueueUnavailableError(err);
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

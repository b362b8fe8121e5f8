import { hash } from "node:crypto";
import { Queue } from "bullmq";
import { TollgateError } from "../errors/index.js";
import { createRedisScript } from "./create-redis-script.js";
import { QueueUnavailableError } from "./errors.js";
import { encodeWebhookJob } from "./encode-webhook-job.js";
import type { CompactWebhookJob, HubSpotChange } from "./events.js";
import type { EnqueuedJob, ReceiveResult, WebhookReceiver, WebhookReceiverOptions } from "./types.js";
import { DEFAULT_PREFIX, getWebhookKeys, tenantQueueName } from "./webhook-keys.js";
import { webhookJobRetry } from "./webhook-job-retry.js";
import { receiptRef, type ReceiptRef } from "./receipt-ref.js";

/** 128 bits of SHA-256, base64url: short set members, collisions out of reach. */
const digest = (s: string) => hash("sha256", s, "base64url").slice(0, 22);

const DAY_MS = 86_400_000;

/**
 * Change digests travel to Redis as one comma-joined argument (base64url has no comma) and
 * are split in Lua. As a hundred arguments, ioredis measured, sized and framed each one, on
 * every one of the two dedupe commands of every batch.
 */
const SPLIT_IDS = `
local ids = {}
for id in string.gmatch(ARGV[#ARGV], "[^,]+") do ids[#ids + 1] = id end`;

/**
 * Which ids are in any of the daily sets, in one command (a pipeline of SMISMEMBERs would
 * send every id once per day). KEYS: the daily sets of one tenant. ARGV[1]: the change
 * digests, comma-joined. Returns the 1-based positions of the ids already seen: nearly
 * always none, so the reply stays empty instead of carrying a 0 per id.
 */
const seenInAny = createRedisScript(`${SPLIT_IDS}
local seen = {}
for k = 1, #KEYS do
  if redis.call("EXISTS", KEYS[k]) == 1 then
    local flags = redis.call("SMISMEMBER", KEYS[k], unpack(ids))
    for i = 1, #flags do if flags[i] == 1 then seen[i] = true end end
  end
end
local found = {}
for i = 1, #ids do if seen[i] then found[#found + 1] = i end end
return found`);

/**
 * Marks ids seen and (re)sets the day's expiry, atomically: a set never outlives its TTL
 * because the second step was lost. KEYS[1]: today's set. ARGV[1]: TTL in seconds; ARGV[2]:
 * the change digests, comma-joined.
 */
const markSeen = createRedisScript(`${SPLIT_IDS}
redis.call("SADD", KEYS[1], unpack(ids))
redis.call("EXPIRE", KEYS[1], ARGV[1])
return 1`);

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
 * Dedupe then durable enqueue for HubSpot changes (docs/architecture.md#the-flow). One BullMQ queue per tenant
 * (docs/contracts.md#rules-that-never-bend), one job per tenant per batch.
 *
 * Seen changes live in one Redis set per tenant per day (`SADD` of a whole batch is one cheap
 * command, where a key per change cost a `SET … EX` each); a set expires `dedupeTtlSeconds`
 * after its day ends, and the check looks at every day still inside the window.
 *
 * Ordering, and why: seen-check → receipt in PostgreSQL + enqueue → 200, then mark. The receipt is
 * what survives losing Redis after the 200 (the sweep queues pending receipts again); the job is
 * the fast path. Marking only after both resolved means a failed attempt leaves nothing behind
 * that could make HubSpot's retry look like a duplicate; the 200 does not wait for the mark (one
 * Redis round trip less per batch), since the seen sets only spare the workers duplicates. Two
 * deliveries of the same batch racing each other both pass the seen-check, but their jobs get
 * the same id (a hash of the change keys) and BullMQ keeps one.
 *
 * @example
 * const receiver = createWebhookReceiver({ redis, prefix: "tollgate" });
 * const { accepted, duplicates } = await receiver.receive(changes);
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { redis, logger, receipts } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const ttl = options.dedupeTtlSeconds ?? 3 * 24 * 3600;
  const timeoutMs = options.enqueueTimeoutMs ?? 3000;
  const now = options.now ?? Date.now;
  const windowDays = Math.ceil((ttl * 1000) / DAY_MS);
  const keys = getWebhookKeys(prefix);
  const queues = new Map<string, Queue<CompactWebhookJob | ReceiptRef>>();
  const registered = new Set<string>();
  const marks = new Set<Promise<unknown>>();

  const queueFor = (tenantId: string): Queue<CompactWebhookJob | ReceiptRef> => {
    let queue = queues.get(tenantId);
    if (!queue) {
      queue = new Queue<CompactWebhookJob | ReceiptRef>(tenantQueueName(tenantId), {
        connection: redis,
        prefix,
        defaultJobOptions: {
          ...webhookJobRetry(options.retry),
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
    await receipts?.registerTenant("hubspot", tenantId);
    const added = await redis.sadd(keys.tenants, tenantId);
    if (added === 1) await redis.publish(keys.tenantsChannel, tenantId);
    registered.add(tenantId);
  };

  async function receiveNow(changes: readonly HubSpotChange[]): Promise<ReceiveResult> {
    const byTenant = new Map<string, Map<string, HubSpotChange>>();
    for (const change of changes) {
      const unique = byTenant.get(change.tenantId) ?? new Map<string, HubSpotChange>();
      const id = digest(change.dedupeKey);
      if (!unique.has(id)) unique.set(id, change);
      byTenant.set(change.tenantId, unique);
    }
    let duplicates = changes.length - [...byTenant.values()].reduce((n, u) => n + u.size, 0);
    const today = Math.floor(now() / DAY_MS);

    // Tenants are independent: each is checked, enqueued and marked on its own.
    const perTenant = await Promise.all(
      [...byTenant].map(async ([tenantId, unique]): Promise<EnqueuedJob | undefined> => {
        const ids = [...unique.keys()];
        const days: string[] = [];
        for (let day = today - windowDays; day <= today; day++) days.push(keys.seen(tenantId, day));
        const seen = new Set((await seenInAny(redis, days, [ids.join(",")])) as number[]);
        const fresh = seen.size === 0 ? ids : ids.filter((_, i) => !seen.has(i + 1));
        duplicates += ids.length - fresh.length;
        if (fresh.length === 0) return undefined;

        const queue = queueFor(tenantId);
        const jobId = `hs-${digest([...fresh].sort().join("\n"))}`;
        const job = encodeWebhookJob({ tenantId, changes: fresh.map((id) => unique.get(id)!) });
        // The receipt and the job go out together: the 200 waits for both, so neither round trip
        // waits on the other. A job that runs before its receipt commits is retried until it
        // finds it (see workers.ts).
        await Promise.all([
          receipts?.record([{ id: jobId, tenantId, crm: "hubspot", job: JSON.stringify(job) }]),
          register(tenantId),
          // With receipts the batch lives in PostgreSQL and the job only names it: Redis holds
          // a few bytes per batch, and BullMQ serialises no 7 KB payload on the request path.
          queue.add("hubspot.batch", receipts ? receiptRef(tenantId, jobId) : job, { jobId }),
        ]);
        // Only now: a mark written before the enqueue could outlive a failed one and hide the retry.
        // Not awaited: the batch is already durable (receipt) and queued, and a lost mark only lets a
        // redelivery through to the workers, whose processed_events drop it. Commands on one
        // connection run in order, so this process's next seen-check still finds the mark.
        const marking = markSeen(redis, [keys.seen(tenantId, today)], [ttl + DAY_MS / 1000, fresh.join(",")])
          .catch((err: unknown) => logger?.warn({ err, tenantId }, "could not mark a webhook batch seen"))
          .finally(() => marks.delete(marking));
        marks.add(marking);
        return { tenantId, queue: queue.name, jobId, changes: fresh.length };
      }),
    );
    const jobs = perTenant.filter((job): job is EnqueuedJob => job !== undefined);
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
      await Promise.all([...marks]);
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

import { hash } from "node:crypto";
import { Queue } from "bullmq";
import { TollgateError } from "../errors/index.js";
import { QueueUnavailableError } from "./errors.js";
import { encodeWebhookJob } from "./encode-webhook-job.js";
import type { CompactWebhookJob, HubSpotChange, HubSpotWebhookEvent } from "./events.js";
import { getEventDedupeKey, toHubSpotChange } from "./to-hubspot-change.js";
import type { EnqueuedJob, ReceivedBatch, ReceiveResult, WebhookReceiver, WebhookReceiverOptions } from "./types.js";
import { DEFAULT_PREFIX, getWebhookKeys, tenantQueueName } from "./webhook-keys.js";
import { webhookJobRetry } from "./webhook-job-retry.js";
import { receiptRef, type ReceiptRef } from "./receipt-ref.js";

/** The portal every event of a batch names, with their change keys; undefined when they name several. */
function onePortal(events: readonly HubSpotWebhookEvent[]): { tenantId: string; keys: Set<string> } | undefined {
  const tenantId = events[0] && String(events[0].portalId);
  if (tenantId === undefined) return undefined;
  const keys = new Set<string>();
  for (const event of events) {
    if (String(event.portalId) !== tenantId) return undefined;
    keys.add(getEventDedupeKey(event));
  }
  return { tenantId, keys };
}

/** 128 bits of SHA-256, base64url: a short job id, collisions out of reach. */
const digest = (s: string) => hash("sha256", s, "base64url").slice(0, 22);

/** A tenant's job and receipt id: its change keys, sorted and hashed, so a redelivered batch is one job. */
const jobIdOf = (keys: Iterable<string>) => `hs-${digest([...keys].sort().join("\n"))}`;

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
 * Durable enqueue for HubSpot changes (docs/architecture.md#the-flow). One BullMQ queue per tenant
 * (docs/contracts.md#rules-that-never-bend), one job per tenant per batch: receipt in PostgreSQL +
 * enqueue → 200. The receipt is what survives losing Redis after the 200 (the sweep queues pending
 * receipts again); the job is the fast path.
 *
 * No seen-check here: a redelivered change is dropped by the workers, through processed_events in
 * the enforcement transaction, before any CRM call (docs/contracts.md#webhook-dedupe). That is the
 * one dedupe rule, in one place; a Redis seen-set in front of it only spared the workers a cheap
 * query, at two Redis scripts per batch on the request path. A redelivery of the very same batch
 * gets the same job id (a hash of its change keys) and receipt id: BullMQ keeps one job while the
 * first is retained, and the receipt insert changes nothing.
 *
 * @example
 * const receiver = createWebhookReceiver({ redis, prefix: "tollgate", receipts });
 * const { accepted, duplicates } = await receiver.receive(changes);
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { redis, logger, receipts } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const timeoutMs = options.enqueueTimeoutMs ?? 3000;
  const keys = getWebhookKeys(prefix);
  const queues = new Map<string, Queue<CompactWebhookJob | ReceiptRef>>();
  const registered = new Set<string>();

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

  /**
   * Records a tenant's share (`receipt`, the text its receipt keeps) and queues its job; resolves
   * with the queue's name. Both go out together: the 200 waits for both, so neither round trip
   * waits on the other, and a job that runs before its receipt commits is retried until it finds
   * it (see workers.ts). With receipts the job only names its receipt: Redis holds a few bytes
   * per batch, and BullMQ serialises no batch on the request path; without, it carries `job`.
   */
  async function recordAndQueue(
    tenantId: string,
    jobId: string,
    receipt: string | undefined,
    job?: CompactWebhookJob,
  ): Promise<string> {
    const queue = queueFor(tenantId);
    const data = receipts && receipt !== undefined ? receiptRef(tenantId, jobId) : job;
    if (data === undefined) throw new Error(`webhook job ${jobId} has neither a receipt nor a body`);
    await Promise.all([
      receipt === undefined ? undefined : receipts?.record([{ id: jobId, tenantId, crm: "hubspot", job: receipt }]),
      register(tenantId),
      queue.add("hubspot.batch", data, { jobId }),
    ]);
    return queue.name;
  }

  async function receiveNow(changes: readonly HubSpotChange[]): Promise<ReceiveResult> {
    // Keyed by the dedupe key itself: one hash per batch (the job id), none per change.
    const byTenant = new Map<string, Map<string, HubSpotChange>>();
    for (const change of changes) {
      const unique = byTenant.get(change.tenantId) ?? new Map<string, HubSpotChange>();
      if (!unique.has(change.dedupeKey)) unique.set(change.dedupeKey, change);
      byTenant.set(change.tenantId, unique);
    }
    const duplicates = changes.length - [...byTenant.values()].reduce((n, u) => n + u.size, 0);

    // Tenants are independent: each is recorded and enqueued on its own.
    const jobs = await Promise.all(
      [...byTenant].map(async ([tenantId, unique]): Promise<EnqueuedJob> => {
        const jobId = jobIdOf(unique.keys());
        const job = encodeWebhookJob({ tenantId, changes: [...unique.values()] });
        const queue = await recordAndQueue(tenantId, jobId, receipts ? JSON.stringify(job) : undefined, job);
        return { tenantId, queue, jobId, changes: unique.size };
      }),
    );
    const accepted = jobs.reduce((n, job) => n + job.changes, 0);
    return { accepted, duplicates, jobs };
  }

  /**
   * One portal's batch, recorded as it came: the workers parse it with the same parseHubSpotBatch
   * (decode-webhook-job.ts), so the request path neither normalises nor encodes its events
   * (bench/webhook-ingest.ts). Its ids are receiveNow's: the same change keys, hashed alike.
   */
  async function receiveAsReceived(
    portal: { tenantId: string; keys: ReadonlySet<string> },
    batch: ReceivedBatch,
  ): Promise<ReceiveResult> {
    const { tenantId, keys } = portal;
    const jobId = jobIdOf(keys);
    const queue = await recordAndQueue(tenantId, jobId, batch.text);
    const jobs = [{ tenantId, queue, jobId, changes: keys.size }];
    return { accepted: keys.size, duplicates: batch.events.length - keys.size, jobs };
  }

  const guarded = async (work: () => Promise<ReceiveResult>): Promise<ReceiveResult> => {
    try {
      return await withTimeout(work(), timeoutMs);
    } catch (err) {
      if (err instanceof TollgateError) throw err;
      throw new QueueUnavailableError(err);
    }
  };

  return {
    receive: (changes) => guarded(() => receiveNow(changes)),
    receiveBatch(batch) {
      const portal = receipts && onePortal(batch.events);
      if (portal) return guarded(() => receiveAsReceived(portal, batch));
      return guarded(() => receiveNow(batch.events.map(toHubSpotChange)));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

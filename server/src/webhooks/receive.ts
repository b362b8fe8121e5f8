import { hash } from "node:crypto";
import { Queue } from "bullmq";
import { TollgateError } from "../errors/index.js";
import { QueueUnavailableError } from "./errors.js";
import { encodeWebhookJob } from "./encode-webhook-job.js";
import type { CompactWebhookJob, HubSpotChange, HubSpotWebhookEvent } from "./events.js";
import { getEventDedupeKey, toHubSpotChange } from "./to-hubspot-change.js";
import type { EnqueuedJob, ReceivedBatch, ReceiveResult, WebhookReceiver, WebhookReceiverOptions } from "./types.js";
import { DEFAULT_PREFIX, getWebhookKeys, tenantQueueName } from "./webhook-keys.js";
import { WEBHOOK_JOB_NAME, webhookJobOptions } from "./webhook-job-retry.js";
import { receiptRef, type ReceiptRef } from "./receipt-ref.js";
import { createJobDispatcher } from "./create-job-dispatcher.js";

/**
 * The portal every event of a batch names and how many distinct changes it holds; undefined when
 * the events name several portals. A change key begins with portal and event id, so events with
 * distinct ids are distinct changes: only a batch that repeats an event id has its keys built.
 */
function onePortal(events: readonly HubSpotWebhookEvent[]): { tenantId: string; distinct: number } | undefined {
  const tenantId = events[0] && String(events[0].portalId);
  if (tenantId === undefined) return undefined;
  const eventIds = new Set<string>();
  for (const event of events) {
    if (String(event.portalId) !== tenantId) return undefined;
    eventIds.add(String(event.eventId));
  }
  const distinct = eventIds.size === events.length ? eventIds.size : new Set(events.map(getEventDedupeKey)).size;
  return { tenantId, distinct };
}

/** 128 bits of SHA-256, base64url: a short job id, collisions out of reach. */
const digest = (s: string) => hash("sha256", s, "base64url").slice(0, 22);

/** The job and receipt id of a tenant's changes given one by one: their keys, sorted and hashed. */
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
 * (docs/contracts.md#rules-that-never-bend), one job per tenant per batch. With receipts, the
 * receipt in PostgreSQL → 200, and the job follows within milliseconds (create-job-dispatcher.ts):
 * the receipt is what survives losing Redis (the sweep queues pending receipts again), the job is
 * the fast path. Without receipts (tests of the Redis side alone) the job is added before the 200.
 *
 * No seen-check here: a redelivered change is dropped by the workers, through processed_events in
 * the enforcement transaction, before any CRM call (docs/contracts.md#webhook-dedupe). That is the
 * one dedupe rule, in one place; a Redis seen-set in front of it only spared the workers a cheap
 * query, at two Redis scripts per batch on the request path. The very same delivery twice gets
 * one job and receipt id, so BullMQ keeps one job while the first is retained and the receipt
 * insert changes nothing.
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
  const announced = new Set<string>();

  const queueFor = (tenantId: string): Queue<CompactWebhookJob | ReceiptRef> => {
    let queue = queues.get(tenantId);
    if (!queue) {
      queue = new Queue<CompactWebhookJob | ReceiptRef>(tenantQueueName(tenantId), {
        connection: redis,
        prefix,
        defaultJobOptions: webhookJobOptions(options.retry),
      });
      // Connection errors surface through `add`; an unhandled 'error' event would crash the process.
      queue.on("error", (err) => logger?.error({ err, tenantId }, "webhook queue error"));
      queues.set(tenantId, queue);
    }
    return queue;
  };

  // Workers learn of a tenant's queue from this set (and a notification on first sight).
  const announce = async (tenantId: string): Promise<void> => {
    if (announced.has(tenantId)) return;
    const added = await redis.sadd(keys.tenants, tenantId);
    if (added === 1) await redis.publish(keys.tenantsChannel, tenantId);
    announced.add(tenantId);
  };

  const dispatcher =
    receipts &&
    createJobDispatcher({
      queueFor,
      announce,
      logger,
      ...(options.dispatchWindowMs === undefined ? {} : { windowMs: options.dispatchWindowMs }),
    });

  /**
   * Records a tenant's share and queues its job; resolves with the queue's name. With receipts
   * the 200 waits for the receipt (and the tenant's row, once) and the dispatcher adds the job,
   * which only names its receipt; without, the job carries `job` and is added before the 200.
   */
  async function recordAndQueue(
    tenantId: string,
    jobId: string,
    batch: { receipt: string } | { job: CompactWebhookJob },
  ): Promise<string> {
    const queue = queueFor(tenantId);
    if (receipts && dispatcher && "receipt" in batch) {
      await Promise.all([
        receipts.record([{ id: jobId, tenantId, crm: "hubspot", job: batch.receipt }]),
        receipts.registerTenant("hubspot", tenantId),
      ]);
      dispatcher.dispatch(tenantId, { name: WEBHOOK_JOB_NAME, data: receiptRef(tenantId, jobId), opts: { jobId } });
    } else if ("job" in batch) {
      await Promise.all([announce(tenantId), queue.add(WEBHOOK_JOB_NAME, batch.job, { jobId })]);
    } else throw new Error(`webhook job ${jobId} has a receipt but the receiver has no receipt store`);
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
        const queue = await recordAndQueue(tenantId, jobId, receipts ? { receipt: JSON.stringify(job) } : { job });
        return { tenantId, queue, jobId, changes: unique.size };
      }),
    );
    const accepted = jobs.reduce((n, job) => n + job.changes, 0);
    return { accepted, duplicates, jobs };
  }

  /**
   * One portal's batch, recorded as it came: the workers parse it with the same parseHubSpotBatch
   * (decode-webhook-job.ts), so the request path neither normalises nor encodes its events
   * (bench/webhook-ingest.ts). Its id is a hash of what names the delivery (its signature, else
   * its body): the same delivery twice is one job and one receipt; a retry HubSpot signs anew is
   * a second receipt whose changes the workers drop (docs/contracts.md#webhook-dedupe).
   */
  async function receiveAsReceived(
    portal: { tenantId: string; distinct: number },
    batch: ReceivedBatch,
  ): Promise<ReceiveResult> {
    const { tenantId, distinct } = portal;
    const jobId = `hs-${digest(batch.delivery ?? batch.text)}`;
    const queue = await recordAndQueue(tenantId, jobId, { receipt: batch.text });
    const jobs = [{ tenantId, queue, jobId, changes: distinct }];
    return { accepted: distinct, duplicates: batch.events.length - distinct, jobs };
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
    flush: async () => dispatcher?.flush(),
    async close() {
      await dispatcher?.close();
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  QueueUnavailableError,
  createWebhookReceiver,
  createWebhookWorkers,
  decodeWebhookJob,
  parseHubSpotBatch,
  tenantQueueName,
  type HubSpotChange,
  type WebhookJob,
  type WebhookWorkers,
  type WebhookWorkersOptions,
} from "../../src/webhooks/index.js";
import { readHubSpotFixture, type HubSpotFixtureName } from "../../../test/fixtures/index.js";
import { closedPort, connectRedis, deleteUnder, uniquePrefix, waitFor } from "./redis-test-utils.js";

const changesOf = (name: HubSpotFixtureName): HubSpotChange[] => {
  const parsed = parseHubSpotBatch(readHubSpotFixture(name).events);
  if (!parsed.ok) throw new Error("fixture should parse");
  return parsed.changes;
};

/** A stored job as the worker's handler will get it. */
const stored = (data: unknown): WebhookJob => {
  const decoded = decodeWebhookJob(data);
  if (!decoded.ok) throw new Error(decoded.issue);
  return decoded.job;
};

let redis: Redis;
const prefixes: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  redis = connectRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteUnder(redis, prefix);
  await redis.quit();
});

function setup(options: { retry?: { baseDelayMs: number; maxDelayMs: number } } = {}) {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const receiver = createWebhookReceiver({ redis, prefix, ...options });
  closers.push(() => receiver.close());
  const queue = (tenantId: string) => {
    const q = new Queue<WebhookJob>(tenantQueueName(tenantId), { connection: redis, prefix });
    closers.push(() => q.close());
    return q;
  };
  const workers = async (
    handler: (job: WebhookJob, meta: { attemptsMade: number }) => Promise<void>,
    more: Pick<WebhookWorkersOptions, "onFailing" | "alertAfterAttempts"> = {},
  ): Promise<WebhookWorkers> => {
    const w = await createWebhookWorkers({ redis, prefix, handler, refreshIntervalMs: 200, ...options, ...more });
    closers.unshift(() => w.close());
    return w;
  };
  return { prefix, receiver, queue, workers };
}

describe("createWebhookReceiver", () => {
  it("enqueues one durable job per tenant holding the batch's changes", async () => {
    const { receiver, queue } = setup();
    const changes = changesOf("contact.propertyChange.agent-write.json");
    const result = await receiver.receive(changes);
    expect(result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(result.jobs).toEqual([
      expect.objectContaining({ tenantId: "62515", queue: "webhooks.hubspot.62515", changes: 3 }),
    ]);
    const jobs = await queue("62515").getJobs(["waiting"]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).toBe(result.jobs[0]!.jobId);
    expect(stored(jobs[0]!.data)).toEqual({ tenantId: "62515", changes });
    // Infrastructure errors never drop work: no attempt limit.
    expect(jobs[0]!.opts.attempts).toBeGreaterThanOrEqual(1_000_000_000);
  });

  it("queues a redelivered batch once, and a change twice in one batch once", async () => {
    const { receiver, queue } = setup();
    const changes = changesOf("contact.propertyChange.agent-write.json");
    const first = await receiver.receive(changes);
    // No seen-check at intake (docs/contracts.md#webhook-dedupe): the redelivery is accepted, and
    // lands on the same job id, so BullMQ keeps one job; the workers' processed_events drop the rest.
    const retry = changes.map((c) => ({ ...c, attemptNumber: 1 }));
    const again = await receiver.receive(retry);
    expect(again).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(again.jobs[0]!.jobId).toBe(first.jobs[0]!.jobId);
    const mixed = [
      ...changesOf("contact.propertyChange.ui-edit.json"),
      changes[0]!,
      ...changesOf("contact.propertyChange.ui-edit.json"),
    ];
    expect(await receiver.receive(mixed)).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(await queue("62515").getWaitingCount()).toBe(2);
  });

  it("enqueues a batch once when two deliveries of it race", async () => {
    const { receiver, queue } = setup();
    const changes = changesOf("object.propertyChange.generic.json");
    await Promise.all([receiver.receive(changes), receiver.receive(changes), receiver.receive(changes)]);
    expect(await queue("62515").getWaitingCount()).toBe(1);
  });

  it("splits a batch spanning portals into one job per tenant, each in its own queue", async () => {
    const { receiver, queue } = setup();
    const result = await receiver.receive(changesOf("deal.propertyChange.two-portals.json"));
    expect(result.accepted).toBe(3);
    const [a] = await queue("62515").getJobs(["waiting"]);
    const [b] = await queue("71234").getJobs(["waiting"]);
    expect(stored(a!.data).changes.map((c) => c.objectId)).toEqual(["9001", "9002"]);
    expect(stored(b!.data)).toMatchObject({
      tenantId: "71234",
      changes: [expect.objectContaining({ objectId: "7007" })],
    });
  });

  it("queues HubSpot's retry after an enqueue failed", async () => {
    const { receiver, queue, prefix } = setup();
    // A real Redis failure: the queue's meta hash is a string, so BullMQ's add script errors.
    const metaKey = `${prefix}:webhooks.hubspot.62515:meta`;
    await redis.set(metaKey, "not-a-hash");
    const changes = changesOf("contact.propertyChange.agent-write.json");
    await expect(receiver.receive(changes)).rejects.toBeInstanceOf(QueueUnavailableError);
    await redis.del(metaKey);
    expect(await receiver.receive(changes)).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(await queue("62515").getWaitingCount()).toBe(1);
  });

  it("fails fast with QueueUnavailableError when Redis is down", async () => {
    const down = new Redis({
      host: "127.0.0.1",
      port: await closedPort(),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    down.on("error", () => undefined);
    const receiver = createWebhookReceiver({ redis: down, prefix: uniquePrefix(), enqueueTimeoutMs: 500 });
    const started = Date.now();
    await expect(receiver.receive(changesOf("contact.creation.json"))).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
    down.disconnect();
  });
});

describe("createWebhookWorkers", () => {
  it("starts workers for tenants already registered and hands each its changes", async () => {
    const { receiver, workers } = setup();
    const changes = changesOf("deal.propertyChange.two-portals.json");
    await receiver.receive(changes);
    const seen: WebhookJob[] = [];
    const running = await workers(async (job) => {
      seen.push(job);
    });
    expect(running.tenants().sort()).toEqual(["62515", "71234"]);
    await waitFor(() => (seen.length === 2 ? true : undefined));
    const byTenant = Object.fromEntries(seen.map((j) => [j.tenantId, j.changes.map((c) => c.eventId)]));
    expect(byTenant).toEqual({ "62515": ["1620000001", "1620000003"], "71234": ["1620000002"] });
  });

  it("starts a worker for a tenant that appears after start", async () => {
    const { receiver, workers } = setup();
    const seen: WebhookJob[] = [];
    const running = await workers(async (job) => {
      seen.push(job);
    });
    expect(running.tenants()).toEqual([]);
    await receiver.receive(changesOf("contact.merge.json"));
    await waitFor(() => (seen.length === 1 ? true : undefined));
    expect(running.tenants()).toEqual(["62515"]);
    expect(seen[0]!.changes[0]).toMatchObject({ kind: "merge", objectId: "1201" });
  });

  it("retries a failing job with a capped backoff, past the old 10-attempt limit, alerting while it fails, until the handler succeeds", async () => {
    const { receiver, workers, queue } = setup({ retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    const attempts: number[] = [];
    const alerts: { attempts: number; error: string }[] = [];
    await workers(
      async (_job, meta) => {
        attempts.push(meta.attemptsMade);
        if (attempts.length < 14) throw new Error("database unavailable");
      },
      { alertAfterAttempts: 5, onFailing: (f) => void alerts.push({ attempts: f.attempts, error: f.error }) },
    );
    const started = Date.now();
    const { jobs } = await receiver.receive(changesOf("contact.deletion.json"));
    const q = queue("62515");
    await waitFor(async () => ((await q.getJobState(jobs[0]!.jobId)) === "completed" ? true : undefined), 10_000);
    expect(attempts).toEqual(Array.from({ length: 14 }, (_, i) => i));
    // Infrastructure errors are alerted from the fifth failure on, each time, and never end the job.
    await waitFor(() => (alerts.length === 9 ? true : undefined), 5_000);
    expect(alerts.map((a) => a.attempts)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(alerts[0]!.error).toBe("database unavailable");
    // Uncapped, 13 doublings from 5 ms would have waited ~80 s.
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("fails a malformed job at once instead of retrying it", async () => {
    const { receiver, workers, queue } = setup();
    let calls = 0;
    await workers(async () => {
      calls += 1;
    });
    await receiver.receive(changesOf("contact.creation.json")); // registers the tenant
    const q = queue("62515");
    const bad = await q.add(
      "hubspot.batch",
      { tenantId: "62515", changes: [{ nope: true }] } as unknown as WebhookJob,
      { attempts: 5 },
    );
    const foreign = await q.add(
      "hubspot.batch",
      { tenantId: "71234", changes: changesOf("deal.propertyChange.two-portals.json").slice(1, 2) },
      { attempts: 5 },
    );
    const badRow = await q.add(
      "hubspot.batch",
      { tenantId: "62515", v: 2, rows: [["contact.creation", "creation"]] } as unknown as WebhookJob,
      { attempts: 5 },
    );
    for (const job of [bad, foreign, badRow]) {
      await waitFor(async () => ((await q.getJobState(job.id!)) === "failed" ? true : undefined));
      const failed = await q.getJob(job.id!);
      expect(failed!.attemptsMade).toBe(1);
      expect(failed!.failedReason).toMatch(/malformed|sits in/);
    }
    expect(calls).toBe(1);
  });

  it("runs a job an older release queued in the verbose form, so a deploy strands nothing", async () => {
    const { receiver, workers, queue } = setup();
    const seen: WebhookJob[] = [];
    await workers(async (job) => void seen.push(job));
    await receiver.receive(changesOf("contact.creation.json")); // registers the tenant
    const changes = changesOf("contact.propertyChange.agent-write.json");
    await queue("62515").add("hubspot.batch", { tenantId: "62515", changes });
    const old = await waitFor(() => seen.find((j) => j.changes.length === changes.length));
    expect(old).toEqual({ tenantId: "62515", changes });
  });
});

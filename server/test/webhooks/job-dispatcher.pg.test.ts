import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  countWebhookJobs,
  createJobDispatcher,
  createReceiptStore,
  createReceiptSweeper,
  createWebhookReceiver,
  tenantQueueName,
  validateHubSpotBatch,
  type ReceivedBatch,
  type WebhookLogger,
} from "../../src/webhooks/index.js";
import { readHubSpotFixture } from "../../../test/fixtures/index.js";
import { startOwnRedis, type OwnRedis } from "../faults/fault-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { captureLogs, connectRedis, deleteUnder, uniquePrefix, waitFor } from "./redis-test-utils.js";

const PORTAL = "62515";
const fixture = readHubSpotFixture("contact.propertyChange.agent-write.json");

/** A delivered batch of the fixture's events with fresh event ids (`n` tells batches apart). */
function delivery(n: number, delivery?: string): ReceivedBatch {
  const events = fixture.events.map((e, i) => ({ ...e, eventId: 7_000_000 + n * 10 + i }));
  const validated = validateHubSpotBatch(events);
  if (!validated.ok) throw new Error("fixture should validate");
  return { text: JSON.stringify(events), events: validated.events, ...(delivery ? { delivery } : {}) };
}

let t: TestDatabase;
let shared: Redis;
let own: OwnRedis;
const prefixes: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase({ only: ["000", "009"] });
  shared = connectRedis();
  own = await startOwnRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await t.db.query("DELETE FROM webhook_receipts");
  await t.db.query("DELETE FROM webhook_tenants");
  if ((await own.client.ping().catch(() => undefined)) !== "PONG") await own.start();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteUnder(shared, prefix);
  await shared.quit();
  await own.stop();
  await t.drop();
});

/** A client of the test's own redis-server, configured as Tollgate's (commands wait while it is away). */
function ownClient(options: { maxRetriesPerRequest: number | null } = { maxRetriesPerRequest: null }): Redis {
  const client = new Redis(own.url, { ...options, retryStrategy: () => 50 });
  client.on("error", () => undefined);
  closers.push(async () => client.disconnect());
  return client;
}

function receiverOn(redis: Redis, logger?: WebhookLogger) {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const receipts = createReceiptStore(t.db);
  const receiver = createWebhookReceiver({ redis, prefix, receipts, ...(logger ? { logger } : {}) });
  closers.unshift(() => receiver.close());
  return { prefix, receipts, receiver };
}

const pendingReceipts = async () =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_receipts WHERE status = 'pending'")).rows[0]!
    .n;

describe("jobs of recorded receipts reach Redis after the 200", () => {
  it("answers once the receipt is committed while Redis is down, and queues the job once it is back", async () => {
    const redis = ownClient();
    const { receiver, prefix } = receiverOn(redis);
    await own.crash();
    const result = await receiver.receiveBatch(delivery(1));
    // Acknowledged: the receipt is in PostgreSQL although Redis holds nothing.
    expect(result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(await pendingReceipts()).toBe(1);
    await own.start();
    await waitFor(async () => ((await countWebhookJobs(own.client, prefix, PORTAL)) === 1 ? true : undefined), 10_000);
    const job = await new Queue(tenantQueueName(PORTAL), { connection: own.client, prefix }).getJob(
      result.jobs[0]!.jobId,
    );
    expect(job?.data).toEqual({ tenantId: PORTAL, receipt: result.jobs[0]!.jobId });
    // The workers of every process learn the tenant's queue.
    expect(await own.client.sismember(`${prefix}:webhooks:hubspot:tenants`, PORTAL)).toBe(1);
  });

  it("retries with backoff when Redis refuses commands, and says so once", async () => {
    const logs = captureLogs();
    const redis = ownClient({ maxRetriesPerRequest: 1 });
    const { receiver, prefix } = receiverOn(redis, logs.logger);
    await own.crash();
    await receiver.receiveBatch(delivery(1));
    await receiver.receiveBatch(delivery(2));
    const failing = () => logs.entries.filter((e) => e.msg?.startsWith("could not queue recorded webhook batches"));
    await waitFor(() => (failing().length > 0 ? true : undefined), 5_000);
    // Several attempts fail while Redis is away; the operator is told once, not on each.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failing()).toHaveLength(1);
    await own.start();
    await waitFor(async () => ((await countWebhookJobs(own.client, prefix, PORTAL)) === 2 ? true : undefined), 10_000);
    await waitFor(() => (logs.entries.some((e) => e.msg?.includes("reach Redis again")) ? true : undefined));
  });

  it("holds at most maxPending jobs while Redis is away; the receipt sweep queues the ones let go", async () => {
    const logs = captureLogs();
    const redis = ownClient();
    const { receiver, prefix, receipts } = receiverOn(redis);
    const queues = new Map<string, Queue>();
    const dispatcher = createJobDispatcher({
      queueFor: (tenantId) => {
        const q = queues.get(tenantId) ?? new Queue(tenantQueueName(tenantId), { connection: redis, prefix });
        queues.set(tenantId, q);
        return q;
      },
      announce: async () => undefined,
      logger: logs.logger,
      maxPending: 3,
    });
    closers.unshift(async () => {
      await dispatcher.close();
      for (const q of queues.values()) await q.close();
    });
    // Five receipts recorded (by the receiver, whose own jobs are flushed away below).
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await receiver.receiveBatch(delivery(n))).jobs[0]!.jobId);
    await receiver.flush();
    await own.flushAll();
    await own.crash();
    for (const id of ids)
      dispatcher.dispatch(PORTAL, {
        name: "hubspot.batch",
        data: { tenantId: PORTAL, receipt: id },
        opts: { jobId: id },
      });
    await own.start();
    await dispatcher.flush();
    const queue = new Queue(tenantQueueName(PORTAL), { connection: own.client, prefix });
    // The oldest two were let go, visibly; the newest three are queued.
    const queued = (await queue.getJobs(["waiting"])).map((j) => j.id).sort();
    expect(queued).toEqual(ids.slice(2).sort());
    expect(logs.entries.find((e) => e.level === "error")?.msg).toMatch(/too many webhook jobs waiting/);
    expect(logs.entries.find((e) => e.msg === "webhook jobs reach Redis again")?.obj).toMatchObject({ letGo: 2 });
    // Their receipts are pending in PostgreSQL: the sweep queues those two, and leaves the three
    // whose jobs are waiting alone.
    const sweeper = createReceiptSweeper({ redis, prefix, receipts, graceMs: 0, intervalMs: 60_000 });
    closers.unshift(() => sweeper.close());
    expect(await sweeper.sweep()).toBe(2);
    expect((await queue.getJobs(["waiting"])).map((j) => j.id).sort()).toEqual([...ids].sort());
    await queue.close();
  });

  it("queues one job for each of many concurrent deliveries, and the same delivery twice once", async () => {
    const { receiver, prefix } = receiverOn(shared);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => receiver.receiveBatch(delivery(n, `sig-${n}`))),
    );
    const again = await receiver.receiveBatch(delivery(7, "sig-7"));
    expect(again.jobs[0]!.jobId).toBe(results[7]!.jobs[0]!.jobId);
    await receiver.flush();
    expect(await countWebhookJobs(shared, prefix, PORTAL)).toBe(200);
    expect(await pendingReceipts()).toBe(200);
    expect(new Set(results.map((r) => r.jobs[0]!.jobId)).size).toBe(200);
  });

  it("a retry HubSpot signs anew is a receipt of its own; one with no signature is named by its body", async () => {
    const { receiver } = receiverOn(shared);
    const first = await receiver.receiveBatch(delivery(1, "signature-of-attempt-0"));
    const retry = await receiver.receiveBatch(delivery(1, "signature-of-attempt-1"));
    expect(retry.jobs[0]!.jobId).not.toBe(first.jobs[0]!.jobId);
    const unsigned = await receiver.receiveBatch(delivery(1));
    expect((await receiver.receiveBatch(delivery(1))).jobs[0]!.jobId).toBe(unsigned.jobs[0]!.jobId);
    expect(await pendingReceipts()).toBe(3);
  });

  it("counts an event repeated in one batch once, and events sharing an id but not a change as two", async () => {
    const { receiver } = receiverOn(shared);
    const [a, b] = fixture.events as unknown as [Record<string, unknown>, Record<string, unknown>];
    const repeated = [a, { ...a, attemptNumber: 1 }, b];
    // Same event id, another property: HubSpot says event ids alone are not unique.
    const sameId = [a, { ...b, eventId: a["eventId"] }];
    const batchOf = (events: object[]): ReceivedBatch => {
      const validated = validateHubSpotBatch(events);
      if (!validated.ok) throw new Error("should validate");
      return { text: JSON.stringify(events), events: validated.events };
    };
    expect(await receiver.receiveBatch(batchOf(repeated))).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(await receiver.receiveBatch(batchOf(sameId))).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it("close adds the jobs still waiting", async () => {
    const { receiver, prefix } = receiverOn(shared);
    await Promise.all([1, 2, 3].map((n) => receiver.receiveBatch(delivery(n))));
    await receiver.close();
    expect(await countWebhookJobs(shared, prefix, PORTAL)).toBe(3);
  });
});

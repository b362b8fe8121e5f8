import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  countWebhookJobs,
  createReceiptStore,
  createReceiptSweeper,
  createWebhookReceiver,
  createWebhookWorkers,
  parseHubSpotBatch,
  tenantQueueName,
  validateHubSpotBatch,
  type HubSpotChange,
  type ReceiptStore,
  type WebhookJob,
  type WebhookJobMeta,
} from "../../src/webhooks/index.js";
import { readHubSpotFixture, type HubSpotFixtureName } from "../../../test/fixtures/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { connectRedis, deleteUnder, uniquePrefix, waitFor } from "./redis-test-utils.js";

const changesOf = (name: HubSpotFixtureName): HubSpotChange[] => {
  const parsed = parseHubSpotBatch(readHubSpotFixture(name).events);
  if (!parsed.ok) throw new Error("fixture should parse");
  return parsed.changes;
};

let t: TestDatabase;
let redis: Redis;
const prefixes: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase({ only: ["000", "009"] });
  redis = connectRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await t.db.query("DELETE FROM webhook_receipts");
  await t.db.query("DELETE FROM webhook_tenants");
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteUnder(redis, prefix);
  await redis.quit();
  await t.drop();
});

function setup() {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const receipts = createReceiptStore(t.db);
  const receiver = createWebhookReceiver({ redis, prefix, receipts });
  closers.push(() => receiver.close());
  const workers = async (
    handler: (job: WebhookJob, meta: WebhookJobMeta) => Promise<void>,
    more: { receipts?: ReceiptStore; onSetAside?: (a: { receiptId: string; issue: string }) => void } = {},
  ) => {
    const w = await createWebhookWorkers({ redis, prefix, handler, refreshIntervalMs: 100, receipts, ...more });
    closers.unshift(() => w.close());
    return w;
  };
  const sweeper = () => {
    const s = createReceiptSweeper({ redis, prefix, receipts, graceMs: 0, intervalMs: 60_000 });
    closers.unshift(() => s.close());
    return s;
  };
  return { prefix, receipts, receiver, workers, sweeper };
}

const receiptRows = async () =>
  (await t.db.query<{ id: string; status: string }>("SELECT id, status FROM webhook_receipts ORDER BY id")).rows;

describe("webhook receipts", () => {
  it("records the batch in PostgreSQL before answering, with the job's own id", async () => {
    const { receiver } = setup();
    const { jobs } = await receiver.receive(changesOf("contact.propertyChange.agent-write.json"));
    expect(await receiptRows()).toEqual([{ id: jobs[0]!.jobId, status: "pending" }]);
  });

  it("records every receipt of concurrent deliveries, a redelivery in the same group once, past the 65,535 parameters of one statement", async () => {
    const { receipts } = setup();
    // JSON with quotes, backslashes and non-ASCII: stored exactly as given.
    const job = (n: number) => JSON.stringify({ n, note: 'say "hi" \\ café' });
    const many = Array.from({ length: 17_000 }, (_, n) => ({
      id: `r-${n}`,
      tenantId: "42",
      crm: "hubspot" as const,
      job: job(n),
    }));
    // One call in flight while the rest queue and share the next insert: 17,000 rows, more than
    // one statement can carry at four parameters a row.
    await Promise.all([
      receipts.record(many.slice(0, 1)),
      receipts.record(many.slice(1, 9_000)),
      receipts.record(many.slice(9_000)),
      receipts.record([{ ...many[7]!, job: "a redelivery changes nothing" }]),
    ]);
    const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_receipts");
    expect(rows[0]!.n).toBe(17_000);
    expect((await receipts.load("r-7"))?.job).toBe(job(7));
    expect((await receipts.load("r-16999"))?.job).toBe(job(16_999));
  });

  it("keeps a one-portal batch as received, a two-portal one as compact rows, and the workers get the same changes", async () => {
    const { receiver, workers, receipts } = setup();
    const onePortal = readHubSpotFixture("contact.propertyChange.agent-write.json");
    const twoPortals = readHubSpotFixture("deal.propertyChange.two-portals.json");
    const one = changesOf("contact.propertyChange.agent-write.json");
    const two = changesOf("deal.propertyChange.two-portals.json");
    const delivered = (fixture: { raw: Buffer; events: unknown[] }) => {
      const validated = validateHubSpotBatch(fixture.events);
      if (!validated.ok) throw new Error("fixture should validate");
      return { text: fixture.raw.toString("utf8"), events: validated.events };
    };
    const received = await receiver.receiveBatch(delivered(onePortal));
    const split = await receiver.receiveBatch(delivered(twoPortals));
    expect((await receipts.load(received.jobs[0]!.jobId))?.job).toBe(onePortal.raw.toString("utf8"));
    // The very same delivery again is the same job and receipt.
    expect(await receiver.receiveBatch(delivered(onePortal))).toEqual(received);
    expect(split.jobs).toHaveLength(2);
    for (const job of split.jobs) expect(JSON.parse((await receipts.load(job.jobId))!.job)).toMatchObject({ v: 3 });
    const seen: WebhookJob[] = [];
    await workers(async (job, meta) => {
      await t.db.transaction(async (tx) => {
        seen.push(job);
        await meta.settle(tx);
      });
    });
    await waitFor(async () => ((await receipts.counts()).done === 3 ? true : undefined));
    const keys = (jobs: WebhookJob[]) => jobs.flatMap((j) => j.changes.map((c) => c.dedupeKey)).sort();
    expect(keys(seen)).toEqual(keys([{ tenantId: "", changes: [...one, ...two] }]));
    expect(seen.find((j) => j.tenantId === one[0]!.tenantId && j.changes.length === one.length)?.changes).toEqual(one);
  });

  it("loses nothing when Redis loses every job after the 200: the sweep queues the receipt again", async () => {
    const { receiver, prefix, workers, sweeper, receipts } = setup();
    const changes = changesOf("contact.propertyChange.agent-write.json");
    await receiver.receive(changes);
    // The job reaches Redis just after the 200; then Redis is lost (a flush, a failover to a
    // replica that had not caught up): queue, marks, registry.
    await receiver.flush();
    await deleteUnder(redis, prefix);
    const seen: WebhookJob[] = [];
    await workers(async (job, meta) => {
      await t.db.transaction(async (tx) => {
        seen.push(job);
        await meta.settle(tx);
      });
    });
    expect(await sweeper().sweep()).toBe(1);
    await waitFor(() => (seen.length === 1 ? true : undefined));
    expect(seen[0]!.changes.map((c) => c.dedupeKey)).toEqual(changes.map((c) => c.dedupeKey));
    await waitFor(async () => ((await receipts.counts()).done === 1 ? true : undefined));
    // Done receipts are not queued again.
    expect(await sweeper().sweep()).toBe(0);
  });

  it("counts a tenant's unprocessed batches from their receipts, whether or not Redis has their jobs", async () => {
    const { receiver, prefix, workers, sweeper, receipts } = setup();
    await receiver.receive(changesOf("contact.propertyChange.agent-write.json"));
    await receiver.receive(changesOf("contact.deletion.json"));
    // Counted from the 200 on, and still after Redis has lost their jobs.
    expect(await receipts.unprocessed("62515")).toBe(2);
    await receiver.flush();
    await deleteUnder(redis, prefix);
    expect(await countWebhookJobs(redis, prefix, "62515")).toBe(0);
    expect(await receipts.unprocessed("62515")).toBe(2);
    expect(await receipts.unprocessed("71234")).toBe(0);
    await workers(async (_job, meta) => t.db.transaction((tx) => meta.settle(tx)));
    await sweeper().sweep();
    await waitFor(async () => ((await receipts.unprocessed("62515")) === 0 ? true : undefined));
  });

  it("leaves the receipt pending when the handler's transaction rolls back, and the retry settles it", async () => {
    const { receiver, workers, receipts } = setup();
    let calls = 0;
    await workers(async (_job, meta) => {
      calls++;
      await t.db
        .transaction(async (tx) => {
          await meta.settle(tx);
          if (calls === 1) throw new Error("PostgreSQL went away mid-transaction");
        })
        .catch(async (err: Error) => {
          // Between the failure and the retry, the receipt is still pending.
          expect((await receipts.counts()).pending).toBe(1);
          throw err;
        });
    });
    await receiver.receive(changesOf("contact.deletion.json"));
    await waitFor(async () => ((await receipts.counts()).done === 1 ? true : undefined), 8_000);
    expect(calls).toBe(2);
  });

  it("sets aside a job that can never be processed, visibly, and never retries it", async () => {
    const { receiver, prefix, workers, receipts } = setup();
    const asides: string[] = [];
    await workers(async () => undefined, { onSetAside: (a) => void asides.push(a.receiptId) });
    await receiver.receive(changesOf("contact.creation.json")); // registers the tenant
    await receipts.record([{ id: "hs-broken", tenantId: "62515", crm: "hubspot", job: "{}" }]);
    const q = new Queue(tenantQueueName("62515"), { connection: redis, prefix });
    closers.push(() => q.close());
    await q.add("hubspot.batch", { tenantId: "62515", changes: [{ nope: true }] }, { jobId: "hs-broken" });
    await waitFor(async () => ((await receipts.counts()).set_aside === 1 ? true : undefined));
    expect(asides).toEqual(["hs-broken"]);
    const { rows } = await t.db.query<{ error: string }>("SELECT error FROM webhook_receipts WHERE id = 'hs-broken'");
    expect(rows[0]!.error).toMatch(/malformed/);
  });

  it("starts a worker for a tenant only PostgreSQL remembers (Redis's registry lost, a worker-only process)", async () => {
    const { receiver, prefix, workers } = setup();
    await receiver.receive(changesOf("deal.propertyChange.two-portals.json"));
    // The jobs and the registry reach Redis just after the 200; then Redis loses them.
    await receiver.flush();
    await deleteUnder(redis, prefix);
    const running = await workers(async () => undefined);
    expect(running.tenants().sort()).toEqual(["62515", "71234"]);
  });

  it("runs one tenant's jobs one at a time even with two processes' workers on its queue", async () => {
    const { receiver, workers } = setup();
    let running = 0;
    let most = 0;
    let done = 0;
    const handler = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      done++;
    };
    await workers(handler);
    await workers(handler);
    for (const name of [
      "contact.creation.json",
      "contact.deletion.json",
      "contact.merge.json",
      "contact.propertyChange.ui-edit.json",
      "object.propertyChange.generic.json",
    ] as const)
      await receiver.receive(changesOf(name));
    await waitFor(() => (done === 5 ? true : undefined), 8_000);
    expect(most).toBe(1);
  });
});

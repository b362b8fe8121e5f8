import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Queue } from "bullmq";
import express from "express";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHubSpotWebhookRouter,
  createWebhookReceiver,
  createWebhookWorkers,
  decodeWebhookJob,
  tenantQueueName,
  type WebhookJob,
  type WebhookLogger,
  type WebhookReceiver,
} from "../../src/webhooks/index.js";
import {
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
  hubspotSignedHeaders,
  readHubSpotFixture,
} from "../../../test/fixtures/index.js";
import {
  captureLogs,
  closedPort,
  connectRedis,
  deleteUnder,
  keysUnder,
  uniquePrefix,
  waitFor,
} from "./redis-test-utils.js";

async function listen(
  receiver: Pick<WebhookReceiver, "receiveBatch">,
  logger: WebhookLogger,
  limit?: string,
): Promise<{ server: Server; base: string }> {
  const app = express();
  app.use(
    createHubSpotWebhookRouter({
      clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
      publicUrl: HUBSPOT_TEST_PUBLIC_URL,
      receiver,
      logger,
      ...(limit ? { limit } : {}),
    }),
  );
  // A JSON parser after the router, as in the app: it must never see the webhook's body first.
  app.use(express.json());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let redis: Redis;
let prefix: string;
let receiver: WebhookReceiver;
let server: Server;
let base: string;
const logs = captureLogs();
const queues = new Map<string, Queue<WebhookJob>>();

const queueOf = (tenantId: string) => {
  let q = queues.get(tenantId);
  if (!q) {
    q = new Queue<WebhookJob>(tenantQueueName(tenantId), { connection: redis, prefix });
    queues.set(tenantId, q);
  }
  return q;
};
/** The tenant's jobs, decoded as the worker's handler will get them. */
const jobsOf = async (tenantId: string) =>
  (await queueOf(tenantId).getJobs(["waiting", "active", "completed"])).map((job) => {
    const decoded = decodeWebhookJob(job.data);
    if (!decoded.ok) throw new Error(decoded.issue);
    return { id: job.id, data: decoded.job };
  });

async function post(
  body: Buffer | string,
  headers: Record<string, string>,
  path = "/webhooks/hubspot",
  method = "POST",
) {
  const res = await fetch(base + path, { method, headers, body: method === "GET" ? undefined : body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, any>) : undefined,
  };
}

const postSigned = (raw: Buffer | string, path = "/webhooks/hubspot", timestamp?: number) =>
  post(raw, hubspotSignedHeaders(raw, { path, ...(timestamp === undefined ? {} : { timestamp }) }), path);

/** Nothing reached Redis: no job, no dedupe mark, no tenant registered. */
async function expectNothingQueued() {
  expect(await keysUnder(redis, prefix)).toEqual([]);
}

beforeAll(async () => {
  redis = connectRedis();
  prefix = uniquePrefix();
  receiver = createWebhookReceiver({ redis, prefix });
  ({ server, base } = await listen(receiver, logs.logger));
});

afterAll(async () => {
  await close(server);
  for (const q of queues.values()) await q.close();
  await receiver.close();
  await deleteUnder(redis, prefix);
  await redis.quit();
});

describe("POST /webhooks/hubspot", () => {
  // Runs first, while Redis under our prefix is still empty.
  describe("refusals change nothing", () => {
    const { raw } = readHubSpotFixture("contact.propertyChange.agent-write.json");

    it("405 for another method, with Allow", async () => {
      const res = await post("", {}, "/webhooks/hubspot", "GET");
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(res.json).toEqual({ error: { code: "method_not_allowed", message: expect.any(String), details: null } });
    });

    it("415 for a body that is not JSON, before looking at signatures", async () => {
      const res = await post(raw, { ...hubspotSignedHeaders(raw), "content-type": "text/plain" });
      expect(res.status).toBe(415);
      expect(res.json!.error.code).toBe("unsupported_media_type");
      await expectNothingQueued();
    });

    it("401 when unsigned or without a timestamp", async () => {
      const unsigned = await post(raw, { "content-type": "application/json" });
      expect(unsigned.status).toBe(401);
      expect(unsigned.json!.error).toMatchObject({
        code: "webhook_signature_invalid",
        details: { reason: "missing_signature" },
      });
      const { ["x-hubspot-request-timestamp"]: _t, ...noStamp } = hubspotSignedHeaders(raw);
      const res = await post(raw, noStamp);
      expect(res.status).toBe(401);
      expect(res.json!.error.details).toEqual({ reason: "missing_timestamp" });
      await expectNothingQueued();
    });

    it("401 for a stale, a future, a forged or a re-targeted signature", async () => {
      const stale = await postSigned(raw, "/webhooks/hubspot", Date.now() - 6 * 60_000);
      expect(stale.json!.error.details).toEqual({ reason: "stale_timestamp" });
      const future = await postSigned(raw, "/webhooks/hubspot", Date.now() + 6 * 60_000);
      expect(future.json!.error.details).toEqual({ reason: "future_timestamp" });
      const forged = await post(raw, hubspotSignedHeaders(raw, { clientSecret: "another-apps-secret" }));
      expect(forged.json!.error.details).toEqual({ reason: "bad_signature" });
      // Signed for a different query string than the one requested.
      const moved = await post(
        raw,
        hubspotSignedHeaders(raw, { path: "/webhooks/hubspot?a=1" }),
        "/webhooks/hubspot?a=2",
      );
      expect(moved.json!.error.details).toEqual({ reason: "bad_signature" });
      const tampered = Buffer.from(raw.toString("utf8").replace("CONNECTED", "CUSTOMER"));
      const altered = await post(tampered, hubspotSignedHeaders(raw));
      expect(altered.json!.error.details).toEqual({ reason: "bad_signature" });
      for (const res of [stale, future, forged, moved, altered]) expect(res.status).toBe(401);
      expect(
        logs.entries.filter((e) => e.msg === "refused an unverified HubSpot webhook").length,
      ).toBeGreaterThanOrEqual(5);
      await expectNothingQueued();
    });

    it("400 for signed bodies that are not JSON or not a batch", async () => {
      const notJson = await postSigned("[{");
      expect(notJson.status).toBe(400);
      expect(notJson.json!.error.code).toBe("invalid_json");
      const notArray = await postSigned('{"eventId":1}');
      expect(notArray.status).toBe(400);
      expect(notArray.json!.error).toMatchObject({
        code: "validation_failed",
        details: { issues: [expect.objectContaining({ path: "" })] },
      });
      const allBad = await postSigned('[{"eventId":1,"subscriptionType":"contact.creation"}]');
      expect(allBad.status).toBe(400);
      expect(allBad.json!.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
        expect.arrayContaining(["0.portalId", "0.occurredAt"]),
      );
      await expectNothingQueued();
    });

    it("never answers with a stack trace", async () => {
      const res = await postSigned("[{");
      expect(res.text).not.toMatch(/\bat .+:\d+:\d+/);
      expect(Object.keys(res.json!)).toEqual(["error"]);
    });
  });

  it("200 only once the batch is a job in the tenant's BullMQ queue", async () => {
    const { raw, events } = readHubSpotFixture("contact.propertyChange.agent-write.json");
    const res = await postSigned(raw);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const jobs = await jobsOf("62515");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.changes.map((c) => [c.eventId, c.property, c.value])).toEqual(
      events.map((e) => [String(e.eventId), e.propertyName, e.propertyValue]),
    );
  });

  it("enqueues a redelivered batch once (HubSpot's retry has attemptNumber 1)", async () => {
    const { raw } = readHubSpotFixture("contact.propertyChange.ui-edit.json");
    const retry = raw.toString("utf8").replaceAll('"attemptNumber":0', '"attemptNumber":1');
    expect(retry).not.toBe(raw.toString("utf8"));
    const first = await postSigned(raw);
    const second = await postSigned(retry);
    const third = await postSigned(raw);
    expect(first.json).toMatchObject({ accepted: 1, duplicates: 0 });
    // Accepted again (no seen-check at intake), but the same job id: still one job.
    expect(second.json).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(third.json).toMatchObject({ accepted: 1, duplicates: 0 });
    const jobs = await jobsOf("62515");
    expect(jobs.filter((j) => j.data.changes.some((c) => c.eventId === "1422993041"))).toHaveLength(1);
  });

  it("enqueues once when the same delivery arrives twice at the same moment", async () => {
    const { raw } = readHubSpotFixture("object.propertyChange.generic.json");
    const results = await Promise.all([postSigned(raw), postSigned(raw)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const jobs = await jobsOf("62515");
    expect(jobs.filter((j) => j.data.changes.some((c) => c.eventId === "1765889350"))).toHaveLength(1);
  });

  it("accepts the valid events of a batch and reports the invalid one", async () => {
    const { raw } = readHubSpotFixture("contact.propertyChange.one-malformed.json");
    const res = await postSigned(raw);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, eventId: "4100000002", issues: [{ path: "1.occurredAt" }] }],
    });
    const jobs = await jobsOf("62515");
    const queued = jobs.flatMap((j) => j.data.changes.map((c) => c.eventId)).filter((id) => id.startsWith("41000000"));
    expect(queued.sort()).toEqual(["4100000001", "4100000003"]);
    expect(logs.entries.some((e) => e.level === "warn" && JSON.stringify(e.obj).includes("4100000002"))).toBe(true);
  });

  it("splits a batch spanning portals into per-tenant jobs", async () => {
    const { raw } = readHubSpotFixture("deal.propertyChange.two-portals.json");
    const res = await postSigned(raw);
    expect(res.json).toMatchObject({ accepted: 3 });
    const other = await jobsOf("71234");
    expect(other.map((j) => j.data.changes.map((c) => c.objectId))).toEqual([["7007"]]);
    const own = (await jobsOf("62515")).filter((j) => j.data.changes.some((c) => c.objectId === "9001"));
    expect(own.map((j) => j.data.changes.map((c) => c.objectId))).toEqual([["9001", "9002"]]);
  });

  it("checks the signature against the public URL including the query, decoded HubSpot's way", async () => {
    const { raw } = readHubSpotFixture("contact.deletion.json");
    const path = "/webhooks/hubspot?install=a%3Ab%2Fc%20d";
    const res = await postSigned(raw, path);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1 });
  });

  it("hands the queued changes to the tenant's worker", async () => {
    const seen: WebhookJob[] = [];
    const workers = await createWebhookWorkers({
      redis,
      prefix,
      handler: async (job) => void seen.push(job),
      refreshIntervalMs: 200,
    });
    try {
      const { raw } = readHubSpotFixture("contact.merge.json");
      expect((await postSigned(raw)).status).toBe(200);
      const merge = await waitFor(() => seen.find((j) => j.changes.some((c) => c.kind === "merge")));
      expect(merge).toMatchObject({
        tenantId: "62515",
        changes: [expect.objectContaining({ objectId: "1201", eventId: "1111222233" })],
      });
    } finally {
      await workers.close();
    }
  });
});

describe("POST /webhooks/hubspot when Redis or the body is a problem", () => {
  it("503 without a stack trace when Redis is down, so HubSpot retries", async () => {
    const down = new Redis({
      host: "127.0.0.1",
      port: await closedPort(),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    down.on("error", () => undefined);
    const failing = createWebhookReceiver({ redis: down, prefix: uniquePrefix(), enqueueTimeoutMs: 500 });
    const own = captureLogs();
    const app = await listen(failing, own.logger);
    try {
      const { raw } = readHubSpotFixture("contact.creation.json");
      const res = await fetch(`${app.base}/webhooks/hubspot`, {
        method: "POST",
        headers: hubspotSignedHeaders(raw),
        body: raw,
      });
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(JSON.parse(text)).toEqual({
        error: { code: "queue_unavailable", message: expect.any(String), details: null },
      });
      expect(text).not.toMatch(/\bat .+:\d+:\d+/);
      expect(own.entries.some((e) => e.level === "error")).toBe(true);
    } finally {
      await close(app.server);
      down.disconnect();
    }
  });

  it("413 for a body over the limit, in the error shape", async () => {
    const own = captureLogs();
    const app = await listen(
      { receiveBatch: async () => ({ accepted: 0, duplicates: 0, jobs: [] }) },
      own.logger,
      "1kb",
    );
    try {
      const big = JSON.stringify(
        Array.from({ length: 50 }, () => readHubSpotFixture("contact.creation.json").events[0]),
      );
      const res = await fetch(`${app.base}/webhooks/hubspot`, {
        method: "POST",
        headers: hubspotSignedHeaders(big),
        body: big,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    } finally {
      await close(app.server);
    }
  });
});

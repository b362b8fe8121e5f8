import nock from "nock";
import { hubspotBatchCompleted } from "../../../test/fixtures/index.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CrmConnector } from "../../src/crm/index.js";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import type { CrmWriteQueueOptions, PlannedWrite } from "../../src/writes/index.js";
import { createWriteQueueHarness, newTenantId, type WriteQueueHarness } from "./write-queue-harness.js";

// The queue end to end through the real HubSpot connector; only HubSpot's HTTP is mocked (nock).
const API = "http://hubspot.test";
const BATCH_UPDATE = "/crm/v3/objects/contacts/batch/update";

interface BatchBody {
  inputs: { id: string; properties: Record<string, string> }[];
}
interface SeenCall {
  at: number;
  body: BatchBody;
}

let h: WriteQueueHarness;
beforeAll(async () => {
  h = await createWriteQueueHarness("writes-hubspot");
  nock.disableNetConnect();
});
afterEach(async () => {
  await h.closeAll();
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await h?.teardown();
});

/**
 * Rate-limit headers as HubSpot sends them to a private app (HubSpot:
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 */
function limitHeaders(remaining = 90, intervalMs = 10_000): Record<string, string> {
  return {
    "X-HubSpot-RateLimit-Max": "100",
    "X-HubSpot-RateLimit-Remaining": String(remaining),
    "X-HubSpot-RateLimit-Interval-Milliseconds": String(intervalMs),
  };
}

const completed = (body: BatchBody) => hubspotBatchCompleted(body.inputs);

/** One scope per expected batch update, answering with `reply` and recording what it saw. */
function expectBatch(calls: SeenCall[], reply: (body: BatchBody) => [number, unknown, Record<string, string>?]) {
  return nock(API)
    .post(BATCH_UPDATE)
    .reply(function (_uri, body) {
      const parsed = body as BatchBody;
      calls.push({ at: Date.now(), body: parsed });
      const [status, json, headers] = reply(parsed);
      return [status, json as nock.Body, { "Content-Type": "application/json", ...limitHeaders(), ...headers }];
    });
}

async function openQueue(tenantId: string, options: Partial<CrmWriteQueueOptions> = {}) {
  const connector: CrmConnector = createHubSpotConnector({
    accessToken: "pat-na1-test",
    portalId: tenantId,
    baseUrl: API,
  });
  const queue = await h.open({ connectorFor: async () => connector, ...options });
  await queue.start();
  return queue;
}

async function intent(tenantId: string): Promise<string> {
  const [event] = await h.audit.appendMany([
    { tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "revert_intent", crm: "hubspot" },
  ]);
  return event!.event_id;
}

function write(tenantId: string, causedBy: string, objectId: string, properties: Record<string, string>): PlannedWrite {
  return { tenantId, crm: "hubspot", objectType: "contacts", objectId, properties, purpose: "revert", causedBy };
}

describe("batching", () => {
  it("sends 250 writes in 3 batch updates of at most 100 inputs, each row audited once", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    const scopes = [1, 2, 3].map(() => expectBatch(calls, (b) => [200, completed(b)]));
    const queue = await openQueue(tenantId);
    const cause = await intent(tenantId);
    const ids = await queue.enqueue(
      Array.from({ length: 250 }, (_, i) => write(tenantId, cause, String(1000 + i), { industry: `I-${i}` })),
    );
    await queue.drain(tenantId);

    for (const s of scopes) expect(s.isDone()).toBe(true);
    expect(calls.map((c) => c.body.inputs.length)).toEqual([100, 100, 50]);
    // Sent in the order planned, each record once, with its value.
    const sent = calls.flatMap((c) => c.body.inputs);
    expect(sent.map((i) => i.id)).toEqual(Array.from({ length: 250 }, (_, i) => String(1000 + i)));
    expect(sent[249]!.properties).toEqual({ industry: "I-249" });

    const rows = await h.rows(tenantId);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.every((r) => r.status === "done" && r.attempts === 1 && r.doneAt !== null)).toBe(true);
    const events = await h.writeEvents(tenantId);
    expect(events).toHaveLength(250);
    expect(new Set(events.map((e) => e.event_id))).toEqual(new Set(rows.map((r) => r.resultEventId)));
    expect(events.every((e) => e.result === "ok" && e.caused_by === cause && e.actor.id === "tollgate")).toBe(true);
    expect(await queue.stats(tenantId)).toEqual({
      pending: 0,
      in_flight: 0,
      done: 250,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    });
  });

  it("merges writes to the same record into one input, later values winning", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    const scope = expectBatch(calls, (b) => [200, completed(b)]);
    const queue = await openQueue(tenantId);
    const cause = await intent(tenantId);
    await queue.enqueue([
      write(tenantId, cause, "1", { industry: "Retail" }),
      write(tenantId, cause, "1", { ai_sdr_event_id: cause }),
      write(tenantId, cause, "2", { industry: "Media" }),
      write(tenantId, cause, "1", { industry: "Fintech" }),
    ]);
    await queue.drain(tenantId);

    expect(scope.isDone()).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.inputs).toEqual([
      { id: "1", properties: { industry: "Fintech", ai_sdr_event_id: cause } },
      { id: "2", properties: { industry: "Media" } },
    ]);
    expect((await h.rows(tenantId)).map((r) => r.status)).toEqual(["done", "done", "done", "done"]);
    expect(await h.writeEvents(tenantId)).toHaveLength(4);
  });
});

describe("rate limits", () => {
  it("on a 429 pauses the tenant for Retry-After, then retries without failing or burning attempts", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    const body429 = {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId: "c-1",
      policyName: "TEN_SECONDLY_ROLLING",
    };
    nock(API)
      .post(BATCH_UPDATE)
      .reply(function (_uri, body) {
        calls.push({ at: Date.now(), body: body as BatchBody });
        return [429, body429, { "Content-Type": "application/json", "Retry-After": "1" }];
      });
    const ok = expectBatch(calls, (b) => [200, completed(b)]);
    const queue = await openQueue(tenantId);
    const cause = await intent(tenantId);
    await queue.enqueue([
      write(tenantId, cause, "1", { industry: "Retail" }),
      write(tenantId, cause, "2", { industry: "Media" }),
    ]);
    await queue.drain(tenantId);

    expect(ok.isDone()).toBe(true);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    const rows = await h.rows(tenantId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["done", 1],
      ["done", 1],
    ]);
    expect((await h.writeEvents(tenantId)).map((e) => e.result)).toEqual(["ok", "ok"]);
  });

  it("pauses before the CRM's reported budget runs out, so no 429 is provoked", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    // The first answer says 3 calls remain in a 1.5 s window: at or under the headroom of 5.
    expectBatch(calls, (b) => [200, completed(b), limitHeaders(3, 1_500)]);
    expectBatch(calls, (b) => [200, completed(b)]);
    const queue = await openQueue(tenantId, { batchSize: 50 });
    const cause = await intent(tenantId);
    await queue.enqueue(
      Array.from({ length: 100 }, (_, i) => write(tenantId, cause, String(i + 1), { industry: "Retail" })),
    );
    await queue.drain(tenantId);

    expect(calls.map((c) => c.body.inputs.length)).toEqual([50, 50]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_400);
    expect((await queue.stats(tenantId)).done).toBe(100);
  });
});

describe("failures", () => {
  it("retries server errors with exponential backoff until the write succeeds", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    expectBatch(calls, () => [502, { status: "error", message: "Bad gateway" }]);
    expectBatch(calls, () => [503, { status: "error", message: "Service unavailable" }]);
    expectBatch(calls, (b) => [200, completed(b)]);
    const queue = await openQueue(tenantId, { retry: { attempts: 5, baseDelayMs: 200 } });
    const cause = await intent(tenantId);
    await queue.enqueue([write(tenantId, cause, "1", { industry: "Retail" })]);
    await queue.drain(tenantId);

    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(190);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(390);
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ status: "done", attempts: 3, lastError: null });
    const events = await h.writeEvents(tenantId);
    expect(events.map((e) => e.result)).toEqual(["ok"]);
  });

  it("never gives a protective write up by count: a revert outlasts the attempt limit and lands", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    for (let i = 0; i < 4; i++) expectBatch(calls, () => [503, { status: "error", message: "unavailable" }]);
    expectBatch(calls, (b) => [200, completed(b)]);
    const failing: { tenantId: string; attempts: number; error: string }[] = [];
    const queue = await openQueue(tenantId, {
      retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 40 },
      onFailing: (f) => failing.push(f),
    });
    const cause = await intent(tenantId);
    await queue.enqueue([write(tenantId, cause, "1", { industry: "Retail" })]);
    await queue.drain(tenantId);
    expect(calls).toHaveLength(5);
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ status: "done", attempts: 5 });
    // Alerted while it failed (from the third attempt), and never given up.
    expect(failing.map((f) => f.attempts)).toEqual([3, 4]);
    expect(failing[0]).toMatchObject({ tenantId, rowIds: [row!.id] });
  });

  it("gives a protective write up only once it is older than the configured age, audited as failed", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    for (let i = 0; i < 40; i++) expectBatch(calls, () => [500, { status: "error", message: "internal" }]);
    const queue = await openQueue(tenantId, {
      // The age is wide enough that a loaded machine still fits several attempts before it passes.
      retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 40, protectiveMaxAgeMs: 1_500 },
    });
    const cause = await intent(tenantId);
    await queue.enqueue([write(tenantId, cause, "1", { industry: "Retail" })]);
    await queue.drain(tenantId);
    expect(calls.length).toBeGreaterThan(2);
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.lastError).toMatch(/gave up after \d+ s and \d+ attempts/);
    nock.cleanAll();
  });

  it("fails and audits an agent's own write whose retries run out", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    expectBatch(calls, () => [500, { status: "error", message: "internal" }]);
    expectBatch(calls, () => [500, { status: "error", message: "internal" }]);
    const settled: string[] = [];
    const queue = await openQueue(tenantId, {
      retry: { attempts: 2, baseDelayMs: 50 },
      onSettled: async (rows) => void settled.push(...rows.map((r) => `${r.id}:${r.status}`)),
    });
    const cause = await intent(tenantId);
    const [id] = await queue.enqueue([
      { ...write(tenantId, cause, "1", { industry: "Retail" }), purpose: "agent_action", agentId: "outreach-bot" },
    ]);
    await queue.drain(tenantId);

    expect(calls).toHaveLength(2);
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
    expect(row!.lastError).toContain("gave up after 2 attempts");
    const [event] = await h.writeEvents(tenantId);
    expect(event).toMatchObject({ event_id: row!.resultEventId, result: "failed", caused_by: cause });
    expect(event!.error).toContain("crm_server_error");
    expect(settled).toEqual([`${id}:failed`]);
  });

  it("fails and audits only the inputs HubSpot rejects, without retrying them", async () => {
    const tenantId = newTenantId();
    const calls: SeenCall[] = [];
    const scope = expectBatch(calls, (b) => {
      const ok = completed({ inputs: b.inputs.filter((i) => i.id !== "2") });
      const errors = [
        { status: "error", category: "OBJECT_NOT_FOUND", message: "Object not found.", context: { ids: ["2"] } },
      ];
      return [207, { ...ok, errors, numErrors: 1 }];
    });
    const queue = await openQueue(tenantId);
    const cause = await intent(tenantId);
    await queue.enqueue(["1", "2", "3"].map((id) => write(tenantId, cause, id, { industry: "Retail" })));
    await queue.drain(tenantId);

    expect(scope.isDone()).toBe(true);
    expect(calls).toHaveLength(1);
    const rows = await h.rows(tenantId);
    expect(rows.map((r) => [r.objectId, r.status])).toEqual([
      ["1", "done"],
      ["2", "failed"],
      ["3", "done"],
    ]);
    expect(rows[1]!.lastError).toBe("not_found: Object not found.");
    const events = await h.writeEvents(tenantId);
    expect(events.map((e) => [e.object_id, e.result])).toEqual([
      ["1", "ok"],
      ["2", "failed"],
      ["3", "ok"],
    ]);
  });
});

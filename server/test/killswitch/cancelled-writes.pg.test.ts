import { Redis } from "ioredis";
import nock from "nock";
import { hubspotBatchCompleted } from "../../../test/fixtures/index.js";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import type { KillSwitchService } from "../../src/killswitch/index.js";
import { createCrmWriteQueue, type CrmWriteQueue, type PlannedWrite } from "../../src/writes/index.js";
import { TEST_REDIS_URL } from "../helpers/test-database.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "./helpers.js";

// The write queue with the kill switches' `cancel`, through the real HubSpot connector; only
// HubSpot's HTTP is mocked (nock), and every request it receives is recorded.
const API = "http://hubspot.killswitch.test";
const rita = { type: "human", id: "Rita (RevOps)", role: "revops_admin" } as const;

let h: KillSwitchHarness;
let killSwitches: KillSwitchService;
let queue: CrmWriteQueue;
let queueRedis: Redis;
const sent: { path: string; ids: string[] }[] = [];
const tenantId = `t${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  h = await createKillSwitchHarness("ks-held");
  killSwitches = h.service({ roleOf: (_t, agentId) => (agentId === "enrichment-bot" ? "enrichment" : "outreach") });
  await killSwitches.start();
  nock.disableNetConnect();
  nock(API)
    .persist()
    .post(/\/crm\/v3\/objects\/contacts\/batch\/update/)
    .reply(function (uri, body) {
      const inputs = (body as { inputs: { id: string; properties: Record<string, string> }[] }).inputs;
      sent.push({ path: uri, ids: inputs.map((i) => i.id) });
      return [200, hubspotBatchCompleted(inputs), { "Content-Type": "application/json" }];
    });
  queueRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const connector = createHubSpotConnector({ accessToken: "pat-na1-test", portalId: tenantId, baseUrl: API });
  queue = await createCrmWriteQueue({
    db: h.t.db,
    redis: queueRedis,
    prefix: h.prefix,
    audit: h.audit,
    connectorFor: async () => connector,
    cancel: {
      active: (t) => killSwitches.cached(t).active.size > 0,
      causeOf: (row) => killSwitches.cancelWrite(row),
    },
  });
  killSwitches.onChange((t) => void queue.kick([t]));
  await queue.start();
});
afterAll(async () => {
  await queue?.close();
  queueRedis?.disconnect();
  nock.cleanAll();
  nock.enableNetConnect();
  await h?.teardown();
});

function row(
  objectId: string,
  purpose: PlannedWrite["purpose"],
  agentId: string | null,
  causedBy: string,
): PlannedWrite {
  return {
    tenantId,
    crm: "hubspot",
    objectType: "contacts",
    objectId,
    properties: { industry: `v${objectId}` },
    purpose,
    agentId,
    causedBy,
  };
}

describe("a tripped switch cancels queued CRM writes of its scope", () => {
  it("sends no request for the agent's writes after the trip, while reverts and other agents' writes go", async () => {
    const [intent] = await h.audit.appendMany([
      { tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "decision", crm: "hubspot" },
    ]);
    // Queued (committed, not yet kicked) before the trip.
    await h.t.db.transaction(async (tx) => {
      await queue.enqueue(
        [
          row("101", "apply", "enrichment-bot", intent!.event_id),
          row("102", "provenance", "enrichment-bot", intent!.event_id),
          row("103", "agent_action", "enrichment-bot", intent!.event_id),
          row("104", "revert", null, intent!.event_id),
          row("105", "clear_shadow", null, intent!.event_id),
          row("106", "apply", "outreach-bot", intent!.event_id),
        ],
        { tx },
      );
    });
    const trip = await killSwitches.set(
      tenantId,
      { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "runaway" },
      rita,
    );
    // The trip reports what it stopped in flight.
    const event = (await h.audit.query({ tenantId })).events.find((e) => e.event_id === trip.eventId);
    expect(event?.evidence).toMatchObject({ queuedWritesToCancel: 3 });

    await queue.kick([tenantId]);
    await queue.drain(tenantId, { timeoutMs: 10_000 });
    const ids = sent.flatMap((s) => s.ids).sort();
    expect(ids).toEqual(["104", "105", "106"]);
    const { rows } = await h.t.db.query<{ object_id: string; status: string; cancelled_by: string | null }>(
      "SELECT object_id, status, cancelled_by FROM crm_writes WHERE tenant_id = $1 ORDER BY object_id",
      [tenantId],
    );
    expect(rows.filter((r) => r.status === "cancelled").map((r) => [r.object_id, r.cancelled_by])).toEqual([
      ["101", trip.eventId],
      ["102", trip.eventId],
      ["103", trip.eventId],
    ]);
    expect((await killSwitches.list(tenantId))[0]?.prevented?.cancelledWrites).toBe(3);
  });

  it("sends none of the cancelled writes once the switch is off, and reports what it cancelled", async () => {
    const off = await killSwitches.set(
      tenantId,
      { scope: { type: "agent", value: "enrichment-bot" }, state: "off", reason: "prompt fixed" },
      rita,
    );
    expect(off.prevented).toEqual({ decisions: 0, cancelledWrites: 3 });
    await queue.kick([tenantId]);
    await new Promise((r) => setTimeout(r, 500));
    await queue.drain(tenantId, { timeoutMs: 10_000 });
    expect(sent.flatMap((s) => s.ids).sort()).toEqual(["104", "105", "106"]);
  });

  it("cancels everything an agent queues while the tenant is off, never Tollgate's own protective writes", async () => {
    sent.length = 0;
    await killSwitches.set(tenantId, { scope: { type: "tenant" }, state: "on", reason: "incident" }, rita);
    const [intent] = await h.audit.appendMany([
      { tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "decision", crm: "hubspot" },
    ]);
    await queue.enqueue([
      row("201", "apply", "outreach-bot", intent!.event_id),
      row("202", "rollback", null, intent!.event_id),
      row("203", "provenance", "enrichment-bot", intent!.event_id),
    ]);
    await queue.drain(tenantId, { timeoutMs: 10_000 });
    expect(sent.flatMap((s) => s.ids)).toEqual(["202"]);
  });
});

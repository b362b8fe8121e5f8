import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { createExceptionQueue, createExceptionStore } from "../../src/exceptions/index.js";
import {
  createApiKeyAuthenticator,
  createHttpApp,
  createExceptionRouter,
  createGovernanceRouter,
  createQaRouter,
  createRollbackRouter,
} from "../../src/http/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import { createQaSampler } from "../../src/qa/index.js";
import { AGENT_APP, REP, startRollbackHarness, type RollbackHarness } from "./rollback-harness.js";

/** The rollback, QA, exception and governance routes over real services, through HTTP. */
const TENANT = "http-tenant";
const KEYS = {
  owner: "owner-key-0123456789",
  revops: "revops-key-0123456789",
  auditor: "auditor-key-0123456789",
  agent: "agent-key-0123456789",
};
let h: RollbackHarness;
let server: Server;
let base: string;

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  h = await startRollbackHarness(TENANT);
  await h.change({ objectId: "1", property: "jobtitle", value: "CTO", at: "08:00:00", sourceId: REP });
  await h.change({
    objectId: "1",
    property: "jobtitle",
    value: "Chief Technology Officer",
    at: "09:00:00",
    sourceId: AGENT_APP,
  });
  await h.change({ objectId: "2", property: "city", value: "Leeds", at: "08:00:00", sourceId: REP });
  await h.change({ objectId: "2", property: "city", value: "London", at: "09:00:00", sourceId: AGENT_APP });
  await h.change({ objectId: "2", property: "city", value: "York", at: "09:30:00", sourceId: REP });
  // A disallowed write opens an exception.
  await h.change({ objectId: "3", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: AGENT_APP });

  const authenticate = createApiKeyAuthenticator([
    { key: KEYS.owner, role: "owner", name: "olivia" },
    { key: KEYS.revops, role: "revops_admin", name: "rita" },
    { key: KEYS.auditor, role: "auditor", name: "ada" },
    { key: KEYS.agent, role: "agent", agentId: "enrichment-bot" },
  ]);
  const qa = createQaSampler({ db: h.t.db, audit: h.audit, policyFor: () => ({ sample_rate: 1 }) });
  const { events } = await h.audit.query({ tenantId: TENANT, agentId: "enrichment-bot", limit: 100 });
  await qa.recordDecisionForQa(events);
  const defaultTenant = TENANT;
  const app = createHttpApp({
    logger: createLogger({ level: "silent" }),
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: {},
    routers: [
      createRollbackRouter({ rollback: h.rollback, authenticate, defaultTenant }),
      createQaRouter({ qa, authenticate, defaultTenant }),
      createExceptionRouter({
        exceptions: createExceptionQueue({ db: h.t.db, audit: h.audit }),
        authenticate,
        defaultTenant,
      }),
      createGovernanceRouter({ db: h.t.db, authenticate, defaultTenant, now: () => new Date("2026-03-03T00:00:00Z") }),
    ],
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  expect((await createExceptionStore(h.t.db).list(TENANT)).length).toBeGreaterThan(0);
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

describe("POST /v1/rollback, GET /v1/rollback/:jobId", () => {
  it("refuses agents, auditors and a missing key; refuses force to anyone but an owner", async () => {
    expect((await call("POST", "/v1/rollback", undefined, { last: 1 })).status).toBe(401);
    expect((await call("POST", "/v1/rollback", KEYS.agent, { last: 1 })).status).toBe(403);
    expect((await call("POST", "/v1/rollback", KEYS.auditor, { last: 1 })).status).toBe(403);
    const forced = await call("POST", "/v1/rollback", KEYS.revops, { agentId: "enrichment-bot", force: true });
    expect(forced.status).toBe(403);
    expect(forced.body.error.code).toBe("forbidden");
  });

  it("answers a bad request with the error shape and changes nothing", async () => {
    const res = await call("POST", "/v1/rollback", KEYS.revops, { dryRun: true });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "validation_failed" });
    expect((await call("POST", "/v1/rollback", KEYS.revops, { last: "five" })).status).toBe(400);
  });

  it("plans a dry run, then runs the rollback and follows the job to done; the conflict is reported", async () => {
    const dry = await call("POST", "/v1/rollback", KEYS.revops, { agentId: "enrichment-bot", dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      jobId: null,
      planned: [{ objectId: "1", field: "jobtitle", restoreTo: "CTO" }],
      conflicts: [{ objectId: "2", field: "city", current: "York", expected: "London" }],
    });
    const run = await call("POST", "/v1/rollback", KEYS.revops, { agentId: "enrichment-bot" });
    expect(run.status).toBe(202);
    let job: Record<string, any> = {};
    for (let i = 0; i < 200 && job.state !== "done"; i++) {
      job = (await call("GET", `/v1/rollback/${run.body.jobId}`, KEYS.auditor)).body;
      if (job.state !== "done") await new Promise((r) => setTimeout(r, 25));
    }
    expect(job).toMatchObject({ state: "done", done: 1, total: 1 });
    expect(job.conflicts).toHaveLength(1);
    expect(h.crm.get("contacts", "1")?.jobtitle).toBe("CTO");
    expect((await call("GET", "/v1/rollback/unknown", KEYS.owner)).status).toBe(404);
  });

  it("lets an owner force over the conflict", async () => {
    const forced = await call("POST", "/v1/rollback", KEYS.owner, { agentId: "enrichment-bot", force: true });
    expect(forced.status).toBe(202);
    expect(forced.body.planned).toMatchObject([{ objectId: "2", restoreTo: "Leeds", forced: true }]);
  });
});

describe("QA, exceptions and governance routes", () => {
  it("lists the QA queue and records a review; auditors may read but not review", async () => {
    const list = await call("GET", "/v1/qa?state=pending", KEYS.auditor);
    expect(list.status).toBe(200);
    const item = list.body.items[0];
    expect(item).toMatchObject({ state: "pending", agentId: "enrichment-bot" });
    expect(
      (await call("POST", `/v1/qa/${item.id}/review`, KEYS.auditor, { verdict: "pass", scorecard: { crm_hygiene: 5 } }))
        .status,
    ).toBe(403);
    expect(
      (await call("POST", `/v1/qa/${item.id}/review`, KEYS.revops, { verdict: "maybe", scorecard: {} })).status,
    ).toBe(400);
    const reviewed = await call("POST", `/v1/qa/${item.id}/review`, KEYS.revops, {
      verdict: "pass",
      scorecard: { crm_hygiene: 5 },
    });
    expect(reviewed.body).toMatchObject({ state: "reviewed", reviewer: "rita", verdict: "pass" });
    expect(
      (await call("POST", `/v1/qa/${item.id}/review`, KEYS.revops, { verdict: "pass", scorecard: { crm_hygiene: 5 } }))
        .status,
    ).toBe(409);
    expect((await call("GET", "/v1/qa?limit=0", KEYS.revops)).status).toBe(400);
  });

  it("lists exceptions, assigns and moves one, and refuses a jump", async () => {
    const list = await call("GET", "/v1/exceptions?state=open", KEYS.auditor);
    const ex = list.body.exceptions[0];
    expect(ex).toMatchObject({ state: "open", objectId: "3", field: "lifecyclestage", overdue: false });
    expect((await call("POST", `/v1/exceptions/${ex.id}/assign`, KEYS.auditor, { owner: "owen" })).status).toBe(403);
    expect((await call("POST", `/v1/exceptions/${ex.id}/assign`, KEYS.revops, { owner: "owen" })).body.owner).toBe(
      "owen",
    );
    expect((await call("POST", `/v1/exceptions/${ex.id}/transition`, KEYS.revops, { state: "closed" })).status).toBe(
      409,
    );
    const moved = await call("POST", `/v1/exceptions/${ex.id}/transition`, KEYS.revops, {
      state: "reviewing",
      note: "checking",
    });
    expect(moved.body).toMatchObject({ state: "reviewing", owner: "owen" });
    expect((await call("GET", "/v1/exceptions?overdue=maybe", KEYS.revops)).status).toBe(400);
    expect(
      (await call("GET", "/v1/exceptions?state=reviewing", KEYS.revops)).body.exceptions.map(
        (x: { id: string }) => x.id,
      ),
    ).toEqual([ex.id]);
  });

  it("serves governance metrics for a range to human roles only", async () => {
    const res = await call(
      "GET",
      "/v1/metrics/governance?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z",
      KEYS.auditor,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: TENANT, agentActions: 3, approvalBypassAttempts: { total: 0 } });
    expect(res.body.exceptions.opened).toBeGreaterThanOrEqual(0);
    expect((await call("GET", "/v1/metrics/governance", KEYS.agent)).status).toBe(403);
    expect(
      (await call("GET", "/v1/metrics/governance?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z", KEYS.auditor))
        .status,
    ).toBe(400);
  });
});

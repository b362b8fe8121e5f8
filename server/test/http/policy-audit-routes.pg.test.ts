import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createLogger } from "../../src/observability/index.js";
import { createTollgate, type Tollgate } from "../../src/runtime/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";

const KEYS = {
  owner: "owner-key-0123456789abcdef",
  revops: "revops-key-0123456789abcdef",
  auditor: "auditor-key-0123456789abcdef",
  agent: "agent-key-0123456789abcdef",
  otherTenant: "tenant-b-key-0123456789abcdef",
};
const shipped = readFileSync("manifests/policy.yaml", "utf8");
let t: TestDatabase;
let tollgate: Tollgate;
let base: string;

async function call(method: string, path: string, key?: string, body?: string, contentType = "application/yaml") {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": contentType } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  const json = res.headers.get("content-type")?.startsWith("application/json");
  return { status: res.status, body: json ? JSON.parse(text) : text };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const config = loadConfig({
    PORT: "0",
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: "silent",
    TOLLGATE_API_KEYS: JSON.stringify([
      { key: KEYS.owner, role: "owner", name: "Olive Owner" },
      { key: KEYS.revops, role: "revops_admin", name: "Rita RevOps" },
      { key: KEYS.auditor, role: "auditor", name: "Aud Itor" },
      { key: KEYS.agent, role: "agent", agentId: "enrichment-bot" },
      { key: KEYS.otherTenant, role: "auditor", name: "Tess (tenant B)", tenantId: "tenant-b" },
    ]),
  });
  tollgate = await createTollgate(config, {
    db: t.db,
    prefix: testPrefix("http"),
    logger: createLogger({ level: "silent" }),
    workers: false,
  });
  const server = await tollgate.start();
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await tollgate.stop();
  await t.drop();
});

describe("GET/PUT /v1/policy", () => {
  it("serves the shipped policy with its version to human roles, never to agents or strangers", async () => {
    const ok = await call("GET", "/v1/policy", KEYS.auditor);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      source: "file",
      version: expect.stringMatching(/^[0-9a-f]{64}$/),
      policy: { version: 1 },
    });
    expect((await call("GET", "/v1/policy", KEYS.agent)).status).toBe(403);
    expect((await call("GET", "/v1/policy")).body).toEqual({
      error: { code: "unauthorized", message: expect.any(String), details: null },
    });
    expect((await call("GET", "/v1/policy", "not-a-real-key-at-all")).status).toBe(401);
  });

  it("refuses a bad policy with every problem and its line, and keeps serving the last good one", async () => {
    const before = (await call("GET", "/v1/policy", KEYS.auditor)).body.version;
    const bad = shipped.replace(/(email: &contact_point\n\s+tier: )3/, "$19");
    expect(bad).not.toBe(shipped);
    const res = await call("PUT", "/v1/policy", KEYS.owner, bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("policy_invalid");
    expect(res.body.error.details[0]).toMatchObject({
      line: expect.any(Number),
      path: "roles.enrichment.objects.contact.fields.email.tier",
    });
    expect((await call("GET", "/v1/policy", KEYS.auditor)).body.version).toBe(before);
    const events = await tollgate.services.audit.query({ tenantId: "default", limit: 50 });
    expect(events.events.filter((e) => e.action === "policy_change")).toHaveLength(0);
  });

  it("lets only owners and RevOps admins replace the policy", async () => {
    expect((await call("PUT", "/v1/policy", KEYS.auditor, shipped)).status).toBe(403);
    expect((await call("PUT", "/v1/policy", KEYS.agent, shipped)).status).toBe(403);
    expect((await call("PUT", "/v1/policy", KEYS.owner, "")).status).toBe(400);
  });

  it("stores a good policy as a new version, audits who changed what, and serves it", async () => {
    const changed = shipped.replace(
      "caps: { per_day: 500 }                   # R8",
      "caps: { per_day: 400 }                   # R8",
    );
    expect(changed).not.toBe(shipped);
    const res = await call("PUT", "/v1/policy", KEYS.revops, JSON.stringify({ yaml: changed }), "application/json");
    expect(res.status).toBe(200);
    expect(res.body.diffSummary).toBe("roles.routing.caps.per_day: 500 → 400");
    const served = await call("GET", "/v1/policy", KEYS.auditor);
    expect(served.body).toMatchObject({ version: res.body.version, source: "stored", updatedBy: "Rita RevOps" });
    const [event] = (await tollgate.services.audit.query({ tenantId: "default", limit: 10 })).events.filter(
      (e) => e.action === "policy_change",
    );
    expect(event).toMatchObject({
      actor: { type: "human", id: "Rita RevOps", role: "revops_admin" },
      diff_summary: "roles.routing.caps.per_day: 500 → 400",
    });
  });
});

describe("GET /v1/audit, /verify, /export", () => {
  it("queries, verifies and exports the tenant's events for auditors", async () => {
    const q = await call("GET", "/v1/audit?limit=5", KEYS.auditor);
    expect(q.status).toBe(200);
    expect(q.body.events.length).toBeGreaterThanOrEqual(1);
    expect(q.body).toHaveProperty("nextCursor");
    const v = await call("GET", "/v1/audit/verify", KEYS.auditor);
    expect(v.body).toEqual({ ok: true, checked: expect.any(Number), firstBroken: null });
    const exported = await call("GET", "/v1/audit/export", KEYS.auditor);
    const lines = (exported.body as string).trim().split("\n");
    expect(JSON.parse(lines[0]!)).toHaveProperty("hash");
  });

  it("rejects a bad query with the offending key named", async () => {
    const res = await call("GET", "/v1/audit?limit=0", KEYS.auditor);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^invalid audit query: limit: /);
  });

  it("keeps a tenant-bound key inside its tenant", async () => {
    const own = await call("GET", "/v1/audit", KEYS.otherTenant);
    expect(own.body.events).toEqual([]);
    expect((await call("GET", "/v1/audit?tenantId=default", KEYS.otherTenant)).status).toBe(403);
  });

  it("answers unknown routes and malformed JSON in the error shape, without a stack", async () => {
    const missing = await call("GET", "/v1/nothing-here", KEYS.auditor);
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "no route for GET /v1/nothing-here", details: null } },
    });
    const broken = await call("PUT", "/v1/policy", KEYS.owner, "{not json", "application/json");
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_json");
    expect(JSON.stringify(broken.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

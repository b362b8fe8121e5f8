import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createLogger } from "../../src/observability/index.js";
import { createTollgate, type Tollgate } from "../../src/runtime/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";

// Issue 9, finding 12: what the API lists, it must accept. An operator's script GETs a
// resource and sends each body straight back; every one must be taken as it is. (Approvals:
// server/test/approvals/approvals.e2e.pg.test.ts lists them and approves with the listed
// proposedValue; approval-batch-and-auth.pg.test.ts does the same in one batch.)

const OWNER = "owner-key-roundtrip-0123456789abcdef";
let t: TestDatabase;
let tollgate: Tollgate;
let base: string;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${OWNER}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const config = loadConfig({
    PORT: "0",
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: "silent",
    TOLLGATE_API_KEYS: JSON.stringify([{ key: OWNER, role: "owner", name: "Olive Owner" }]),
  });
  tollgate = await createTollgate(config, {
    db: t.db,
    prefix: testPrefix("roundtrip"),
    logger: createLogger({ level: "silent" }),
    workers: false,
  });
  const server = await tollgate.start();
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await tollgate?.stop();
  await t?.drop();
});

describe("GET bodies go back through PUT as they are (finding 12)", () => {
  it("kill switches: every listed switch, the tenant one (scope.value null) included, is lifted by sending its scope back", async () => {
    for (const scope of [
      { type: "tenant" },
      { type: "agent", value: "enrichment-bot" },
      { type: "channel", value: "email" },
    ])
      expect((await call("PUT", "/v1/kill-switches", { scope, state: "on", reason: "runaway" })).status).toBe(200);
    const listed = await call("GET", "/v1/kill-switches");
    expect(listed.status).toBe(200);
    expect(listed.body.switches).toHaveLength(3);
    expect(listed.body.switches.find((s: any) => s.scope.type === "tenant").scope).toEqual({
      type: "tenant",
      value: null,
    });
    // The operator's script: lift whatever is listed, sending each scope back untouched.
    for (const s of listed.body.switches) {
      const lifted = await call("PUT", "/v1/kill-switches", { scope: s.scope, state: "off", reason: "fixed" });
      expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    }
    expect((await call("GET", "/v1/kill-switches")).body.switches).toEqual([]);
  });

  it("policy: the body GET /v1/policy returns is accepted by PUT /v1/policy as it is", async () => {
    const got = await call("GET", "/v1/policy");
    expect(got.status).toBe(200);
    const back = await call("PUT", "/v1/policy", got.body);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect((await call("GET", "/v1/policy")).body.version).toBe(got.body.version);
  });
});

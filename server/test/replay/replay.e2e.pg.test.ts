import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const OWNER = "replay-owner-key-0123456789abcdef";
const AUDITOR = "replay-auditor-key-0123456789abcd";
const AGENT = "replay-outreach-key-0123456789abc";
const enrichment = { kind: "app", appId: "1000002" } as const;
const shipped = readFileSync("manifests/policy.yaml", "utf8");

let h: Harness;
let from: string;

const call = async (path: string, key: string, body: unknown) => {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: OWNER, role: "owner", name: "olive" },
        { key: AUDITOR, role: "auditor", name: "aud" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
      ]),
    },
  });
  from = new Date(Date.now() - 1000).toISOString();
  // The demo's traffic: an email proposal that passes its auto rule, one that needs a person, and
  // a direct write to a read-only field.
  const propose = (id: string, confidence: string, email: string) =>
    h.started.sandbox.write(
      "contacts",
      id,
      { ai_sdr_confidence_score: confidence, ai_sdr_source: "apollo", ai_proposed_email: email },
      enrichment,
    );
  propose("102", "0.95", "grace.hopper@globex.example");
  propose("103", "0.6", "alan.turing@globex.example");
  h.started.sandbox.write("contacts", "101", { lifecyclestage: "customer" }, enrichment);
  await h.settle();
}, 120_000);
afterAll(async () => h?.close());

describe("POST /v1/replay", () => {
  it("lists exactly the decisions a candidate policy changes, with both decisions and reasons, and writes nothing", async () => {
    const candidate = shipped.replace("auto_if: { min_confidence: 0.9 }", "auto_if: { min_confidence: 0.99 }");
    expect(candidate).not.toBe(shipped);
    const auditBefore = (await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 1000 })).events.length;
    const writesBefore = h.started.sandbox.history("contacts", "102", "email").length;
    const to = new Date(Date.now() + 1000).toISOString();
    const res = await call("/v1/replay", AUDITOR, { policy: candidate, from, to });
    expect(res.status).toBe(200);
    expect(res.body.checked).toBeGreaterThanOrEqual(3);
    expect(res.body.changed).toHaveLength(1);
    expect(res.body.changed[0]).toMatchObject({
      objectId: "102",
      field: "email",
      action: "proposal",
      before: { outcome: "allow", reasons: expect.arrayContaining(["auto rule passed"]) },
      after: { outcome: "needs_approval", reasons: expect.arrayContaining(["confidence 0.95 is below 0.99"]) },
    });
    expect((await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 1000 })).events.length).toBe(
      auditBefore,
    );
    expect(h.started.sandbox.history("contacts", "102", "email").length).toBe(writesBefore);
  });

  it("finds no change under the policy the traffic ran under, by version", async () => {
    const version = h.tollgate.services.policies.current(h.tenantId).version;
    const res = await call("/v1/replay", OWNER, { version, from, to: new Date(Date.now() + 1000).toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version, changed: [] });
  });

  it("refuses a bad request with a clear error, and agents altogether", async () => {
    const to = new Date().toISOString();
    const both = await call("/v1/replay", OWNER, { policy: shipped, version: "a".repeat(64), from, to });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/exactly one of policy/);
    const bad = await call("/v1/replay", OWNER, { policy: "version: 2\n", from, to });
    expect(bad.status).toBe(400);
    const unknown = await call("/v1/replay", OWNER, { version: "b".repeat(64), from, to });
    expect(unknown.status).toBe(404);
    expect((await call("/v1/replay", AGENT, { policy: shipped, from, to })).status).toBe(403);
  });
});

describe("QA sampling on the gate path", () => {
  it("samples a send through POST /v1/actions: restricted actions at 100%", async () => {
    const res = await call("/v1/actions", AGENT, {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      objectId: "103",
      payload: {
        to: "alan@globex.example",
        from: "sdr@tollgate-demo.example",
        template: "intro-v1",
        subject: "Hello",
        body: "Hi Alan. Unsubscribe: https://x.example/u",
      },
    });
    expect(res.status).toBe(200);
    const items = await h.tollgate.services.qa.list(h.tenantId, { agentId: "outreach-bot" });
    expect(items.map((i) => i.eventId)).toContain(res.body.eventId);
    expect(items.find((i) => i.eventId === res.body.eventId)).toMatchObject({ reason: "restricted", rate: 1 });
  });
});

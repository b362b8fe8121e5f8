import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { PORTAL_ID, startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

// Issue 9, findings 4, 5 and 12, tried with real keys against a real Tollgate: every escalation
// path a role could take around the kill switches, keys reaching tenants they are not for,
// the ops endpoints, and every body a GET returns fed back to the matching PUT/POST.

const TENANT = String(PORTAL_ID);
const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const KEYS = {
  owner: "owner-key-roles-0123456789abcdef",
  revops: "revops-key-roles-0123456789abcdef",
  operator: "operator-key-roles-0123456789abcdef",
  auditor: "auditor-key-roles-0123456789abcdef",
  agent: "agent-key-roles-0123456789abcdef",
  otherTenant: "auditor-key-tenant-b-0123456789abcdef",
};

let h: Harness;
beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: {
      TOLLGATE_METRICS_TOKEN: METRICS_TOKEN,
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: KEYS.owner, role: "owner", name: "Olive" },
        { key: KEYS.revops, role: "revops_admin", name: "Rita" },
        { key: KEYS.operator, role: "operator", name: "Otto" },
        { key: KEYS.auditor, role: "auditor", name: "Audrey" },
        { key: KEYS.agent, role: "agent", agentId: "enrichment-bot" },
        { key: KEYS.otherTenant, role: "auditor", name: "Tess", tenantId: "tenant-b" },
      ]),
    },
  });
}, 60_000);
afterAll(async () => h?.close());

async function call(
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Prometheus text
  }
  return { status: res.status, body: parsed, text };
}

const put = (key: string, scope: { type: string; value?: string | null }, state: "on" | "off", reason = "testing") =>
  call(key, "PUT", "/v1/kill-switches", { scope, state, reason });

async function refusedEvents(): Promise<AuditEvent[]> {
  const page = await call(KEYS.auditor, "GET", "/v1/audit?limit=1000");
  return (page.body.events as AuditEvent[]).filter((e) => e.result === "failed");
}

describe("role escalation (finding 4)", () => {
  it("a RevOps admin can stop the tenant but not lift it, so cannot then edit the policy; each refusal audited", async () => {
    expect((await put(KEYS.revops, { type: "tenant" }, "on", "runaway")).status).toBe(200);
    const lift = await put(KEYS.revops, { type: "tenant" }, "off", "I want to edit the policy");
    expect(lift.status).toBe(403);
    expect(lift.body.error).toMatchObject({ code: "kill_switch_forbidden", message: /only an owner/ });
    const policy = await call(KEYS.owner, "GET", "/v1/policy");
    const edit = await call(KEYS.revops, "PUT", "/v1/policy", { yaml: policy.body.yaml });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe("policy_locked");
    const refused = await refusedEvents();
    expect(refused.some((e) => e.actor.id === "Rita" && e.risk_flags.includes("kill_switch_lift_refused"))).toBe(true);
    expect(
      refused.some((e) => e.actor.id === "Rita" && e.action === "access_refused" && e.error === "policy_locked"),
    ).toBe(true);
    expect((await h.tollgate.services.killSwitches.active(TENANT)).active.has("tenant")).toBe(true);
    expect((await put(KEYS.owner, { type: "tenant" }, "off", "fixed")).status).toBe(200);
  });

  it("an operator cannot resume what an owner stopped; a RevOps admin cannot either; the owner can", async () => {
    const scope = { type: "agent", value: "enrichment-bot" };
    expect((await put(KEYS.owner, scope, "on", "owner's stop")).status).toBe(200);
    expect((await put(KEYS.operator, scope, "off", "resume")).status).toBe(403);
    expect((await put(KEYS.revops, scope, "off", "resume")).status).toBe(403);
    expect((await h.tollgate.services.killSwitches.active(TENANT)).active.has("agent:enrichment-bot")).toBe(true);
    expect((await put(KEYS.owner, scope, "off", "resume")).status).toBe(200);
    // What an operator set, an operator may lift.
    expect((await put(KEYS.operator, scope, "on", "mine")).status).toBe(200);
    expect((await put(KEYS.operator, scope, "off", "mine, done")).status).toBe(200);
  });

  it("an automatic trigger's switch takes a RevOps admin or an owner to lift, not an operator", async () => {
    await h.tollgate.services.killSwitches.set(
      TENANT,
      { scope: { type: "agent", value: "outreach-bot" }, state: "on", reason: "agent_writes_per_minute above 120" },
      { type: "system", id: "tollgate", via: "trigger:agent_writes_per_minute" },
    );
    const scope = { type: "agent", value: "outreach-bot" };
    const byOperator = await put(KEYS.operator, scope, "off", "looks fine");
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.error.message).toMatch(/automatic trigger/);
    expect((await put(KEYS.revops, scope, "off", "provider fixed")).status).toBe(200);
  });

  it("an operator cannot stop the whole tenant, and an auditor or agent cannot touch a switch", async () => {
    expect((await put(KEYS.operator, { type: "tenant" }, "on")).status).toBe(403);
    expect((await put(KEYS.auditor, { type: "agent", value: "enrichment-bot" }, "on")).status).toBe(403);
    expect((await put(KEYS.agent, { type: "agent", value: "enrichment-bot" }, "off")).status).toBe(403);
    expect((await h.tollgate.services.killSwitches.active(TENANT)).active.size).toBe(0);
  });
});

describe("tenants and ops endpoints (finding 5)", () => {
  it("an agent key never chooses a tenant; a key bound to one tenant never reaches another", async () => {
    const agent = await call(KEYS.agent, "POST", "/v1/actions?tenantId=other-portal", {
      action: "create_task",
      crm: "hubspot",
      object: "contact",
      objectId: "101",
    });
    expect(agent.status).toBe(403);
    expect((await call(KEYS.otherTenant, "GET", `/v1/audit?tenantId=${TENANT}`)).status).toBe(403);
    expect((await call(KEYS.otherTenant, "GET", "/v1/kill-switches")).body.tenantId).toBe("tenant-b");
  });

  it("a malformed or repeated tenantId is a 400 that names it", async () => {
    const bad = await call(KEYS.owner, "GET", "/v1/audit?tenantId=../etc");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ param: "tenantId" });
    expect((await call(KEYS.owner, "GET", "/v1/audit?tenantId=a&tenantId=b")).status).toBe(400);
  });

  it("/metrics needs the metrics token; /healthz tells strangers only {ok}", async () => {
    expect((await call(undefined, "GET", "/metrics")).status).toBe(401);
    expect((await call("wrong-token-0123456789", "GET", "/metrics")).status).toBe(401);
    const metrics = await call(METRICS_TOKEN, "GET", "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("tollgate_");
    expect((await call(undefined, "GET", "/healthz")).body).toEqual({ ok: true });
    const detailed = await call(KEYS.auditor, "GET", "/healthz");
    expect(detailed.body).toEqual({ ok: true, checks: { database: { ok: true }, redis: { ok: true } } });
  });
});

describe("what the API lists, it accepts (finding 12)", () => {
  it("every switch GET lists — the tenant one with value null included — is lifted by a PUT of the same scope", async () => {
    await put(KEYS.owner, { type: "tenant" }, "on", "runaway");
    await put(KEYS.owner, { type: "channel", value: "sends" }, "on", "bounces");
    const listed = await call(KEYS.owner, "GET", "/v1/kill-switches");
    expect(listed.body.switches.map((s: { scope: unknown }) => s.scope)).toContainEqual({
      type: "tenant",
      value: null,
    });
    for (const s of listed.body.switches as { scope: unknown }[]) {
      const res = await call(KEYS.owner, "PUT", "/v1/kill-switches", {
        scope: s.scope,
        state: "off",
        reason: "scripted",
      });
      expect(res.status).toBe(200);
    }
    expect((await call(KEYS.owner, "GET", "/v1/kill-switches")).body.switches).toEqual([]);
  });

  it("the policy GET returns is accepted by PUT as it is, and keeps its version", async () => {
    const got = await call(KEYS.owner, "GET", "/v1/policy");
    const back = await call(KEYS.owner, "PUT", "/v1/policy", got.body);
    expect(back.status).toBe(200);
    expect(back.body.version).toBe(got.body.version);
  });
});

describe("what the refusals left behind", () => {
  // Runs after every attempt above (vitest keeps a file's order): whatever was refused, no
  // record in the portal was created, changed or deleted.
  it("no attempt above wrote a record to the CRM", () => {
    const recordWrites = Object.entries(h.started.sandbox.stats().calls).filter(
      ([route, n]) =>
        n > 0 && /^(POST|PATCH|PUT|DELETE) \/crm\/v3\/objects\//.test(route) && !/\/(batch\/read|search)$/.test(route),
    );
    expect(recordWrites).toEqual([]);
  });
});

import { Router } from "express";
import type { Server } from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createApiKeyAuthenticator,
  requireRole,
  createHttpApp,
  createKillSwitchRouter,
  createPolicyRouter,
  requireAgentNotKilled,
} from "../../src/http/index.js";
import type { KillSwitchService } from "../../src/killswitch/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import { createPolicyRegistry } from "../../src/policy/index.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "./helpers.js";

const TENANT = "default";
const KEYS = {
  owner: "owner-key-0123456789",
  revops: "revops-key-0123456789",
  operator: "operator-key-0123456789",
  auditor: "auditor-key-0123456789",
  enrichment: "enrichment-key-0123456789",
  outreach: "outreach-key-0123456789",
};
const authenticate = createApiKeyAuthenticator([
  { key: KEYS.owner, role: "owner", name: "Olga (owner)" },
  { key: KEYS.revops, role: "revops_admin", name: "Rita (RevOps)" },
  { key: KEYS.operator, role: "operator", name: "Otto (operator)" },
  { key: KEYS.auditor, role: "auditor", name: "Ada (audit)" },
  { key: KEYS.enrichment, role: "agent", agentId: "enrichment-bot" },
  { key: KEYS.outreach, role: "agent", agentId: "outreach-bot" },
]);

let h: KillSwitchHarness;
let service: KillSwitchService;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await createKillSwitchHarness("ks-routes");
  const policies = await createPolicyRegistry({ db: h.t.db, audit: h.audit, path: "manifests/policy.yaml" });
  const roleOf = (t: string, agentId: string) => policies.current(t).compiled.agents.get(agentId)?.role;
  service = h.service({ roleOf });
  // A stand-in for the agents' action route: what matters is the middleware in front of it.
  const actions = Router().post(
    "/v1/actions",
    requireRole(authenticate, ["agent"]),
    requireAgentNotKilled({ service, defaultTenant: TENANT, roleOf }),
    (_req, res) => void res.json({ ok: true }),
  );
  const app = createHttpApp({
    logger: createLogger({ level: "silent" }),
    metrics: createMetrics(),
    healthChecks: {},
    routers: [
      createKillSwitchRouter({
        service,
        authenticate,
        defaultTenant: TENANT,
        policyOf: (t) => policies.current(t).compiled,
      }),
      createPolicyRouter({ policies, authenticate, defaultTenant: TENANT, killSwitches: service }),
      actions,
    ],
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await h?.teardown();
});

function call(method: string, path: string, key: string, body?: unknown, contentType = "application/json") {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": contentType }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}
const put = (key: string, body: unknown) => call("PUT", "/v1/kill-switches", key, body);
const switches = async () =>
  (
    (await (await call("GET", "/v1/kill-switches", KEYS.auditor)).json()) as {
      switches: { scope: { type: string; value: string | null } }[];
    }
  ).switches;

describe("PUT /v1/kill-switches validation", () => {
  it.each([
    ["no body", undefined],
    ["not an object", "[]"],
    ["unknown scope type", { scope: { type: "planet", value: "earth" }, state: "on", reason: "because" }],
    ["missing value", { scope: { type: "agent" }, state: "on", reason: "because" }],
    ["empty value", { scope: { type: "agent", value: "" }, state: "on", reason: "because" }],
    ["unknown channel", { scope: { type: "channel", value: "fax" }, state: "on", reason: "because" }],
    ["bad state", { scope: { type: "agent", value: "enrichment-bot" }, state: "paused", reason: "because" }],
    ["no reason", { scope: { type: "agent", value: "enrichment-bot" }, state: "on" }],
    ["blank reason", { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "  " }],
    ["extra key", { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "because", force: true }],
    ["undeclared agent", { scope: { type: "agent", value: "enrichment-bott" }, state: "on", reason: "because" }],
    ["undefined role", { scope: { type: "role", value: "janitor" }, state: "on", reason: "because" }],
    ["tenant with another tenant's id", { scope: { type: "tenant", value: "62515" }, state: "on", reason: "because" }],
  ])("answers 400 for %s and changes nothing", async (_name, body) => {
    const res = await put(KEYS.owner, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).not.toMatch(/at .*\.ts/);
    expect(await switches()).toEqual([]);
    expect(await service.history(TENANT)).toEqual([]);
  });
});

describe("who may pull which switch", () => {
  it("lets an operator stop one agent, answering the switch with who and when", async () => {
    const res = await put(KEYS.operator, {
      scope: { type: "agent", value: "outreach-bot" },
      state: "on",
      reason: "complaints from prospects",
    });
    expect(res.status).toBe(200);
    const sw = (await res.json()) as Record<string, unknown>;
    expect(sw).toMatchObject({
      scope: { type: "agent", value: "outreach-bot" },
      state: "on",
      reason: "complaints from prospects",
      who: { type: "human", id: "Otto (operator)", role: "operator", via: "api_key" },
      changed: true,
    });
    expect(Date.parse(sw.when as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(await switches()).toHaveLength(1);
    await put(KEYS.operator, { scope: { type: "agent", value: "outreach-bot" }, state: "off", reason: "resolved" });
  });

  it("refuses the tenant switch to an operator, and any switch to an auditor or an agent", async () => {
    expect((await put(KEYS.operator, { scope: { type: "tenant" }, state: "on", reason: "incident" })).status).toBe(403);
    expect(
      (await put(KEYS.auditor, { scope: { type: "agent", value: "outreach-bot" }, state: "on", reason: "incident" }))
        .status,
    ).toBe(403);
    expect(
      (await put(KEYS.enrichment, { scope: { type: "agent", value: "outreach-bot" }, state: "on", reason: "incident" }))
        .status,
    ).toBe(403);
    expect((await call("GET", "/v1/kill-switches", KEYS.enrichment)).status).toBe(403);
    expect(await switches()).toEqual([]);
  });
});

describe("a tripped scope refuses agent keys", () => {
  it("refuses the agent's key while its switch is on, and not another agent's", async () => {
    expect((await call("POST", "/v1/actions", KEYS.enrichment, {})).status).toBe(200);
    await put(KEYS.revops, { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "runaway" });
    const refused = await call("POST", "/v1/actions", KEYS.enrichment, {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("agent_killed");
    expect((await call("POST", "/v1/actions", KEYS.outreach, {})).status).toBe(200);
    await put(KEYS.revops, { scope: { type: "agent", value: "enrichment-bot" }, state: "off", reason: "fixed" });
    expect((await call("POST", "/v1/actions", KEYS.enrichment, {})).status).toBe(200);
  });

  it("refuses every agent of a role when the role is off", async () => {
    await put(KEYS.operator, { scope: { type: "role", value: "outreach" }, state: "on", reason: "bad sequence" });
    expect((await call("POST", "/v1/actions", KEYS.outreach, {})).status).toBe(403);
    expect((await call("POST", "/v1/actions", KEYS.enrichment, {})).status).toBe(200);
    await put(KEYS.operator, { scope: { type: "role", value: "outreach" }, state: "off", reason: "fixed" });
  });
});

describe("the tenant switch", () => {
  const yaml = readFileSync("manifests/policy.small-team.yaml", "utf8");

  it("refuses every agent key and locks policy edits to owners", async () => {
    const on = await put(KEYS.revops, { scope: { type: "tenant" }, state: "on", reason: "incident: stop everything" });
    expect(on.status).toBe(200);
    expect((await call("POST", "/v1/actions", KEYS.outreach, {})).status).toBe(403);
    const locked = await call("PUT", "/v1/policy", KEYS.revops, yaml, "application/yaml");
    expect(locked.status).toBe(403);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe("policy_locked");
    const owner = await call("PUT", "/v1/policy", KEYS.owner, yaml, "application/yaml");
    expect(owner.status).toBe(200);
    await put(KEYS.owner, { scope: { type: "tenant" }, state: "off", reason: "incident over" });
    expect(
      (await call("PUT", "/v1/policy", KEYS.revops, readFileSync("manifests/policy.yaml", "utf8"), "application/yaml"))
        .status,
    ).toBe(200);
  });

  it("shows who stopped it, when and why in the audit log", async () => {
    const events = (await h.audit.query({ tenantId: TENANT, limit: 100 })).events.filter(
      (e) => e.action === "kill_switch" && e.field_diffs[0]?.field === "kill_switch:tenant",
    );
    expect(events.map((e) => [e.actor.id, e.field_diffs[0]!.after, e.reason])).toEqual([
      ["Olga (owner)", "off", "incident over"],
      ["Rita (RevOps)", "on", "incident: stop everything"],
    ]);
  });
});

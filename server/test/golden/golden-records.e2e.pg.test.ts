import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killCommand, resumeCommand } from "../../src/cli/commands/kill.js";
import { callApi } from "../helpers/call-api.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const OWNER = "golden-owner-key-0123456789abcdef";
const REVOPS = "golden-revops-key-0123456789abcde";
const enrichment = { kind: "app", appId: "1000002" } as const;
const shipped = readFileSync("manifests/policy.yaml", "utf8");
/** A candidate that asks more confidence of email proposals: the auto-applied one would need a person. */
const stricter = shipped.replace("auto_if: { min_confidence: 0.9 }", "auto_if: { min_confidence: 0.99 }");

let h: Harness;
let allowedEvent: string;
let heldEvent: string;

const call = (method: string, path: string, key: string, body?: unknown, yaml = false) =>
  callApi(h.baseUrl, method, path, key, body, { yaml });
const events = async (action: string) =>
  (await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 1000 })).events.filter(
    (e) => e.action === action,
  );

beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: OWNER, role: "owner", name: "olive" },
        { key: REVOPS, role: "revops_admin", name: "rita" },
      ]),
    },
  });
  // Recorded traffic: an email proposal its auto rule applies, and one that needs a person.
  const propose = (id: string, confidence: string, email: string) =>
    h.started.sandbox.write(
      "contacts",
      id,
      { ai_sdr_confidence_score: confidence, ai_sdr_source: "apollo", ai_proposed_email: email },
      enrichment,
    );
  propose("102", "0.95", "grace.hopper@globex.example");
  propose("103", "0.6", "alan.turing@globex.example");
  await h.settle();
  const proposals = await events("proposal");
  allowedEvent = proposals.find((e) => e.object_id === "102" && e.decision?.outcome === "allow")!.event_id;
  heldEvent = proposals.find((e) => e.object_id === "103" && e.decision?.outcome === "needs_approval")!.event_id;
}, 120_000);
afterAll(async () => h?.close());

describe("golden records", () => {
  it("adds recorded actions with their expected decisions (JSON and a YAML file), audited", async () => {
    const one = await call("POST", "/v1/golden", REVOPS, {
      eventId: allowedEvent,
      expect: "allow",
      note: "auto email",
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ added: [{ eventId: allowedEvent, expected: "allow" }], failingNow: [] });
    const file = `records:\n  - { eventId: ${heldEvent}, expect: needs_approval }\n`;
    const yaml = await call("POST", "/v1/golden", REVOPS, file, true);
    expect(yaml.status).toBe(200);
    const list = await call("GET", "/v1/golden", OWNER);
    expect(list.body.records.map((r: { eventId: string }) => r.eventId).sort()).toEqual(
      [allowedEvent, heldEvent].sort(),
    );
    expect((await events("golden_record_add")).length).toBe(2);
  });

  it("refuses bad input with a clear 4xx and stores nothing", async () => {
    expect((await call("POST", "/v1/golden", REVOPS, { eventId: allowedEvent, expect: "maybe" })).status).toBe(400);
    expect((await call("POST", "/v1/golden", REVOPS, { eventId: "no-such-event", expect: "allow" })).status).toBe(404);
    expect((await call("POST", "/v1/golden", REVOPS, "records: [{ expect: allow }]", true)).status).toBe(400);
    expect((await call("GET", "/v1/golden", OWNER)).body.records).toHaveLength(2);
  });

  it("a policy PUT that breaks a golden record is refused and names it, with both decisions", async () => {
    const before = h.tollgate.services.policies.current(h.tenantId).version;
    const res = await call("PUT", "/v1/policy", REVOPS, { yaml: stricter });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("golden_records_changed");
    expect(res.body.error.message).toContain(allowedEvent);
    expect(res.body.error.details.broken).toEqual([
      expect.objectContaining({
        eventId: allowedEvent,
        expected: "allow",
        actual: expect.objectContaining({
          outcome: "needs_approval",
          reasons: expect.arrayContaining(["confidence 0.95 is below 0.99"]),
        }),
      }),
    ]);
    expect(h.tollgate.services.policies.current(h.tenantId).version).toBe(before);
  });

  it("only an owner may override, with a reason; the override is audited with what it overrode", async () => {
    const denied = await call("PUT", "/v1/policy", REVOPS, { yaml: stricter, goldenOverride: { reason: "tighter" } });
    expect(denied.status).toBe(403);
    const noReason = await call("PUT", "/v1/policy", OWNER, { yaml: stricter, goldenOverride: { reason: "" } });
    expect(noReason.status).toBe(400);
    const ok = await call("PUT", "/v1/policy", OWNER, {
      yaml: stricter,
      goldenOverride: { reason: "email needs 0.99 after the bounce incident" },
    });
    expect(ok.status).toBe(200);
    expect(h.tollgate.services.policies.current(h.tenantId).version).toBe(ok.body.version);
    const [override] = await events("golden_override");
    expect(override).toMatchObject({
      actor: { id: "olive", role: "owner" },
      reason: "email needs 0.99 after the bounce incident",
      evidence: { what: "policy change", broken: [expect.objectContaining({ eventId: allowedEvent })] },
    });
  });

  it("resuming an agent's kill switch runs the set first: refused naming the record, unless an owner overrides", async () => {
    const scope = { type: "agent", value: "enrichment-bot" };
    expect((await call("PUT", "/v1/kill-switches", OWNER, { scope, state: "on", reason: "incident" })).status).toBe(
      200,
    );
    // The active policy (overridden above) no longer gives the golden record its decision.
    const refused = await call("PUT", "/v1/kill-switches", REVOPS, { scope, state: "off", reason: "fixed" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.broken).toEqual([expect.objectContaining({ eventId: allowedEvent })]);
    expect((await h.tollgate.services.killSwitches.list(h.tenantId)).map((s) => s.scope.value)).toContain(
      "enrichment-bot",
    );
    const resumed = await call("PUT", "/v1/kill-switches", OWNER, {
      scope,
      state: "off",
      reason: "fixed",
      goldenOverride: { reason: "the golden set is updated next" },
    });
    expect(resumed.status).toBe(200);
    expect(await h.tollgate.services.killSwitches.list(h.tenantId)).toEqual([]);
    const overrides = await events("golden_override");
    expect(overrides.map((e) => (e.evidence as { what: string }).what)).toContain("resuming agent enrichment-bot");
  });

  it("`tollgate resume` runs the set too: refused naming the record; --override-reason lets an owner through", async () => {
    const svc = h.tollgate.services.killSwitches;
    const golden = h.tollgate.services.golden;
    const input = { scope: "agent:enrichment-bot", reason: "cli incident" };
    await killCommand(svc, h.tenantId, input, { id: "cli:ops", role: "owner" });
    await expect(
      resumeCommand(svc, h.tenantId, { ...input, reason: "cli fixed" }, { id: "cli:ops", role: "owner" }, golden),
    ).rejects.toThrow(new RegExp(`golden record.*${allowedEvent}`, "s"));
    const override = { ...input, reason: "cli fixed", overrideReason: "set updated right after" };
    const off = await resumeCommand(svc, h.tenantId, override, { id: "cli:ops", role: "owner" }, golden);
    expect(off).toMatchObject({ state: "off" });
  });

  it("passes when the set keeps its decisions: updating the record lets a plain resume through", async () => {
    await call("POST", "/v1/golden", REVOPS, { eventId: allowedEvent, expect: "needs_approval" });
    const scope = { type: "agent", value: "enrichment-bot" };
    await call("PUT", "/v1/kill-switches", OWNER, { scope, state: "on", reason: "again" });
    expect((await call("PUT", "/v1/kill-switches", OWNER, { scope, state: "off", reason: "fixed now" })).status).toBe(
      200,
    );
    const check = await call("POST", "/v1/golden/check", OWNER, { policy: shipped });
    expect(check.body.broken.map((b: { eventId: string }) => b.eventId)).toEqual([allowedEvent]);
  });
});

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPolicyWarnings, loadPolicy } from "../../src/policy/index.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const SENDER = "signals-sender-key-0123456789abcd";
const AGENT = "signals-outreach-key-0123456789ab";
const shipped = readFileSync("manifests/policy.yaml", "utf8");
// The shipped triggers, minus the ones a few test writes could trip, plus a complaint trigger per agent.
const policy = shipped
  .replace("  - { metric: complaints_per_day, above: 3, scope: channel }\n", "")
  .replace(
    "  - { metric: bounce_rate_percent, above: 5, scope: channel }\n",
    "  - { metric: bounce_rate_percent, above: 5, scope: channel }\n  - { metric: complaints_per_day, above: 1, scope: agent }\n",
  );

let h: Harness;
const post = async (path: string, key: string, body: unknown) => {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const signal = (type: string, recipient: string, extra: Record<string, unknown> = {}) => ({
  type,
  recipient,
  occurredAt: new Date().toISOString(),
  ...extra,
});
const send = (to: string) =>
  post("/v1/actions", AGENT, {
    action: "send_email",
    crm: "hubspot",
    object: "contact",
    payload: { to, from: "sdr@mail.example", template: "intro-v1", body: "Hello. Unsubscribe: https://u.example" },
    prospectTimeZone: "UTC",
  });

beforeAll(async () => {
  h = await startTollgateWithSandbox({
    policyYaml: policy,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: SENDER, role: "operator", name: "mailer" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
      ]),
    },
  });
}, 60_000);
afterAll(async () => h?.close());

describe("POST /v1/signals", () => {
  it("refuses a bad signal with a clear error and other roles with 403, storing nothing", async () => {
    const bad = await post("/v1/signals", SENDER, { type: "bounce", recipient: "not-an-address", occurredAt: "now" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/invalid signal: recipient/);
    expect((await post("/v1/signals", AGENT, signal("bounce", "a@b.example"))).status).toBe(403);
    const { rows } = await h.tollgate.internals.db.query("SELECT 1 FROM delivery_signals");
    expect(rows).toHaveLength(0);
  });

  it("stops sending to a recipient who unsubscribed, and counts a retried report once", async () => {
    const first = await post(
      "/v1/signals",
      SENDER,
      signal("unsubscribe", "Gone@Prospect.example", { occurredAt: "2026-12-01T10:00:00Z" }),
    );
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await post(
      "/v1/signals",
      SENDER,
      signal("unsubscribe", "gone@prospect.example", { occurredAt: "2026-12-01T10:00:00Z" }),
    );
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const refused = await send("gone@prospect.example");
    expect(refused.body.riskFlags).toContain("recipient_opted_out");
    expect(refused.body.decision.outcome).toBe("deny");
    const audited = await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 50 });
    expect(audited.events.filter((e) => e.action === "signal_unsubscribe")).toHaveLength(1);
  });

  it("trips an agent's complaint trigger, naming the send's agent from its event id alone", async () => {
    const permitted = await send("fan@prospect.example");
    const eventId = permitted.body.eventId as string;
    const one = await post("/v1/signals", SENDER, signal("complaint", "fan@prospect.example", { eventId }));
    expect(one.body.tripped).toEqual([]);
    const two = await post("/v1/signals", SENDER, signal("complaint", "other@prospect.example", { eventId }));
    expect(two.body.tripped).toEqual([
      expect.objectContaining({ metric: "complaints_per_day", scope: "agent:outreach-bot", measured: 2 }),
    ]);
    const active = await h.tollgate.services.killSwitches.list(h.tenantId);
    expect(active.map((s) => `${s.scope.type}:${s.scope.value}`)).toContain("agent:outreach-bot");
    await h.tollgate.services.killSwitches.set(
      h.tenantId,
      { scope: { type: "agent", value: "outreach-bot" }, state: "off", reason: "test done" },
      { type: "human", id: "olive", role: "owner", via: "test" },
    );
  });

  it("trips the bounce-rate trigger on the email channel, and the next send is killed", async () => {
    const report = await post("/v1/signals", SENDER, {
      signals: [1, 2].map((i) => signal("bounce", `b${i}@prospect.example`, { agentId: "outreach-bot" })),
    });
    // 2 bounces over fewer than 20 sends count as 2 per 20: 10% > 5%.
    expect(report.body.tripped).toEqual([
      expect.objectContaining({ metric: "bounce_rate_percent", scope: "channel:email", measured: 10, above: 5 }),
    ]);
    const next = await send("new@prospect.example");
    expect(next.body.decision.outcome).toBe("killed");
  });
});

describe("trigger metrics with no source", () => {
  it("is a validation warning naming the trigger, and the shipped policies have none", () => {
    const odd = loadPolicy(
      `${shipped}\n`.replace(
        "kill_switch_triggers:",
        "kill_switch_triggers:\n  - { metric: spam_traps_per_day, above: 1, scope: channel }",
      ),
    );
    expect(listPolicyWarnings(odd.manifest)).toEqual([
      { path: "kill_switch_triggers.0.metric", message: expect.stringContaining('"spam_traps_per_day" has no source') },
    ]);
    expect(listPolicyWarnings(loadPolicy(shipped).manifest)).toEqual([]);
    expect(listPolicyWarnings(loadPolicy(readFileSync("manifests/policy.small-team.yaml", "utf8")).manifest)).toEqual(
      [],
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drillPolicyYaml } from "../../src/drills/index.js";
import { callApi } from "../helpers/call-api.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const APPROVER = "onboard-approver-key-0123456789ab";
const AGENT = "onboard-outreach-key-0123456789ab";
const OWNER = "onboard-owner-key-0123456789abcde";
const ENRICHER = "onboard-enrichment-key-0123456789";
/**
 * The drill policy, with sends from a sending domain no person has approved going to a person,
 * and company descriptions from a data provider no person has approved going to a person.
 */
const policy = drillPolicyYaml()
  .replace(
    "send_email: { tier: 3, auto_if: { templates: [intro-v1] } }",
    "send_email: { tier: 3, auto_if: { templates: [intro-v1] }, exceptions: { new_domain: human } }",
  )
  .replace("description: { tier: 2 }", "description: { tier: 2, exceptions: { new_provider: human } }");
const enrichment = { kind: "app", appId: "1000002" } as const;

let h: Harness;
const send = (to: string, from: string, extra: Record<string, unknown> = {}) =>
  callApi(h.baseUrl, "POST", "/v1/actions", AGENT, {
    action: "send_email",
    crm: "hubspot",
    object: "contact",
    payload: { to, from, template: "intro-v1", subject: "Hi", body: "Hi.\n\nUnsubscribe: https://x.example/u" },
    ...extra,
  });

beforeAll(async () => {
  expect(policy).toContain("new_domain: human");
  expect(policy).toContain("new_provider: human");
  h = await startTollgateWithSandbox({
    policyYaml: policy,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: APPROVER, role: "approver", name: "april" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
        { key: OWNER, role: "owner", name: "olive" },
        { key: ENRICHER, role: "agent", agentId: "enrichment-bot" },
      ]),
    },
  });
}, 120_000);
afterAll(async () => h?.close());

describe("onboarding a new sending domain is gated", () => {
  it("the first send from a domain waits for a person, though the agent says nothing about it", async () => {
    const first = await send("ada@prospect.example", "sdr@fresh-domain.example");
    expect(first.body.decision.outcome).toBe("needs_approval");
    expect(first.body.decision.reasons.join(" ")).toMatch(/domain/);
    expect(first.body.permit).toBeUndefined();
    // Saying it is not new changes nothing: the gate's own records decide.
    const claimed = await send("bob@prospect.example", "sdr@fresh-domain.example", {
      attributes: { newDomain: false },
    });
    expect(claimed.body.decision.outcome).toBe("needs_approval");

    const approved = await callApi(h.baseUrl, "POST", `/v1/approvals/${first.body.approvalId}/approve`, APPROVER, {});
    expect(approved.status).toBe(200);
    const carried = await send("ada@prospect.example", "sdr@fresh-domain.example", {
      approvalId: first.body.approvalId,
    });
    expect(carried.body.decision.outcome).toBe("allow");
  });

  it("once a person approved a send from it, the domain is onboarded: later sends go out; another new domain waits", async () => {
    expect((await send("cy@prospect.example", "sdr@fresh-domain.example")).body.decision.outcome).toBe("allow");
    expect((await send("dee@prospect.example", "sdr@other-new.example")).body.decision.outcome).toBe("needs_approval");
  });
});

describe("onboarding a new data provider is gated", () => {
  const describeFrom = (id: string, provider: string, text: string) =>
    h.started.sandbox.write("companies", id, { ai_sdr_source: provider, description: text }, enrichment);
  const description = (id: string) => h.started.sandbox.getRecord("companies", id)!.properties.description ?? null;
  const writeEvent = async (id: string, text: string) =>
    (await h.tollgate.services.audit.query({ tenantId: h.tenantId, objectId: id, limit: 100 })).events.find(
      (e) => e.action === "field_write" && e.field_diffs[0]?.after === text,
    );

  it("the first direct write from a provider no person approved is reverted and held; approving it onboards the provider", async () => {
    describeFrom("5001", '{"source":"crunchbase","model":"m-1"}', "from crunchbase");
    await h.settle();
    expect(description("5001")).not.toBe("from crunchbase");
    const held = await writeEvent("5001", "from crunchbase");
    expect(held?.decision?.outcome).toBe("needs_approval");
    expect(held?.reason).toMatch(/new data provider/);
    const [approval] = await h.tollgate.services.approvals.listForRecord(h.tenantId, "companies", "5001");
    expect(approval).toMatchObject({ status: "pending", field: "description", proposedValue: "from crunchbase" });
    const ok = await callApi(h.baseUrl, "POST", `/v1/approvals/${approval!.id}/approve`, APPROVER, {});
    expect(ok.status).toBe(200);
    await h.settle();
    expect(description("5001")).toBe("from crunchbase");

    // Onboarded: its next change goes through; another provider's first change waits.
    describeFrom("5002", "crunchbase", "crunchbase again");
    await h.settle();
    expect(description("5002")).toBe("crunchbase again");
    describeFrom("5002", "brand-new-data", "from a newcomer");
    await h.settle();
    expect(description("5002")).toBe("crunchbase again");
    expect((await writeEvent("5002", "from a newcomer"))?.decision?.outcome).toBe("needs_approval");
  });

  it("the gate holds an update naming a new provider, whatever the agent says", async () => {
    const ask = (source: string) =>
      callApi(h.baseUrl, "POST", "/v1/actions", ENRICHER, {
        action: "update_field",
        crm: "hubspot",
        object: "company",
        objectId: "5002",
        field: "description",
        value: `via the gate from ${source}`,
        source,
        attributes: { newProvider: false },
      });
    const fresh = await ask("gate-newcomer");
    expect(fresh.body.decision.outcome).toBe("needs_approval");
    expect(fresh.body.decision.reasons).toContain("new data provider: a human approves its first use");
    expect((await ask("crunchbase")).body.decision.outcome).toBe("allow");
  });

  it("the provider kill switch stops the onboarded provider's writes on the webhook path", async () => {
    const on = await callApi(h.baseUrl, "PUT", "/v1/kill-switches", OWNER, {
      scope: { type: "provider", value: "crunchbase" },
      state: "on",
      reason: "provider sends bad data",
    });
    expect(on.status).toBe(200);
    describeFrom("5001", "crunchbase", "after the switch");
    await h.settle();
    expect(description("5001")).toBe("from crunchbase");
    expect((await writeEvent("5001", "after the switch"))?.decision).toMatchObject({
      outcome: "killed",
      rule_id: "kill_switch:provider:crunchbase",
    });
  });
});

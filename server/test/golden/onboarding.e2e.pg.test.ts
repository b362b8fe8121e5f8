import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drillPolicyYaml } from "../../src/drills/index.js";
import { callApi } from "../helpers/call-api.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const APPROVER = "onboard-approver-key-0123456789ab";
const AGENT = "onboard-outreach-key-0123456789ab";
/** The drill policy, with sends from a sending domain no person has approved going to a person. */
const policy = drillPolicyYaml().replace(
  "send_email: { tier: 3, auto_if: { templates: [intro-v1] } }",
  "send_email: { tier: 3, auto_if: { templates: [intro-v1] }, exceptions: { new_domain: human } }",
);

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
  expect(policy).not.toBe(drillPolicyYaml());
  h = await startTollgateWithSandbox({
    policyYaml: policy,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: APPROVER, role: "approver", name: "april" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
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

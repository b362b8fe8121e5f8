import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/call-api.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const OWNER = "safemode-owner-key-0123456789abcd";
const OPERATOR = "safemode-operator-key-0123456789a";
const AGENT = "safemode-outreach-key-0123456789a";
const enrichment = { kind: "app", appId: "1000002" } as const;

let h: Harness;
const call = (method: string, path: string, key: string, body?: unknown) => callApi(h.baseUrl, method, path, key, body);
const task = (objectId: string) =>
  call("POST", "/v1/actions", AGENT, {
    action: "create_task",
    crm: "hubspot",
    object: "contact",
    objectId,
    payload: { subject: "follow up" },
  });
const proposeEmail = async (id: string, email: string) => {
  h.started.sandbox.write(
    "contacts",
    id,
    { ai_sdr_confidence_score: "0.95", ai_sdr_source: "apollo", ai_proposed_email: email },
    enrichment,
  );
  await h.settle();
  return h.started.sandbox.getRecord("contacts", id)!.properties.email;
};

beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: OWNER, role: "owner", name: "olive" },
        { key: OPERATOR, role: "operator", name: "otto" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
      ]),
    },
  });
}, 120_000);
afterAll(async () => h?.close());

describe("safe mode", () => {
  it("is set by an operator for a time, audited, and refused for an undeclared agent or a past time", async () => {
    const set = await call("PUT", "/v1/safe-modes", OPERATOR, {
      agentId: "outreach-bot",
      for: "2h",
      reason: "new client",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ agentId: "outreach-bot", setBy: "otto", reason: "new client" });
    await call("PUT", "/v1/safe-modes", OPERATOR, { agentId: "enrichment-bot", for: "2h", reason: "after incident" });
    const bad = await call("PUT", "/v1/safe-modes", OPERATOR, { agentId: "ghost-bot", for: "2h", reason: "x y z" });
    expect(bad.status).toBe(400);
    const past = await call("PUT", "/v1/safe-modes", OPERATOR, {
      agentId: "outreach-bot",
      until: "2020-01-01T00:00:00Z",
      reason: "typo",
    });
    expect(past.status).toBe(400);
    const list = await call("GET", "/v1/safe-modes", OWNER);
    expect(list.body.safeModes.map((m: { agentId: string }) => m.agentId)).toEqual(["enrichment-bot", "outreach-bot"]);
    const audited = (await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 100 })).events.filter(
      (e) => e.action === "safe_mode",
    );
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ actor: { id: "otto" }, field_diffs: [{ after: expect.any(String) }] });
  });

  it("gate path: the agent's tier-2 action is held for a person while safe mode lasts", async () => {
    const res = await task("101");
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ outcome: "needs_approval", tier: 2 });
    expect(res.body.decision.reasons.join(" ")).toMatch(/safe mode until/);
    expect(res.body.approvalId).toEqual(expect.any(String));
    expect(res.body.permit).toBeUndefined();
  });

  it("webhook path: a proposal its auto rule would apply waits for a person instead", async () => {
    const before = h.started.sandbox.getRecord("contacts", "102")!.properties.email;
    expect(await proposeEmail("102", "grace.safe@globex.example")).toBe(before);
    const approvals = await h.tollgate.services.approvals.listForRecord(h.tenantId, "contacts", "102");
    expect(approvals.find((a) => a.proposedValue === "grace.safe@globex.example")).toBeDefined();
  });

  it("ends (off, audited) and the same requests are allowed again", async () => {
    for (const agentId of ["outreach-bot", "enrichment-bot"])
      expect(
        (await call("PUT", "/v1/safe-modes", OPERATOR, { agentId, state: "off", reason: "review done" })).status,
      ).toBe(200);
    expect((await call("GET", "/v1/safe-modes", OWNER)).body.safeModes).toEqual([]);
    expect((await task("104")).body.decision.outcome).toBe("allow");
    expect(await proposeEmail("103", "alan.after@globex.example")).toBe("alan.after@globex.example");
  });
});

import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TOLLGATE_APP_ID } from "../../sandbox/demo/start-local-stack.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../helpers/test-database.js";
import {
  KEYS,
  apiKeys,
  auditEvent,
  connectClient,
  setSwitch,
  startMcpHarness,
  type AgentClient,
} from "./mcp-harness.js";

/**
 * `tollgate mcp` (stdio) end to end: the MCP SDK's client spawns the real CLI, which joins the
 * running Tollgate's PostgreSQL schema and Redis namespace — so its decisions, approvals, switches
 * and audit chain are the server's.
 */
describe("the governed MCP server over stdio (tollgate mcp)", () => {
  let h: Harness;
  let agent: AgentClient;

  function spawnAgent(key: string): Promise<AgentClient> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["server/bin/tollgate.js", "mcp", "--redis-prefix", h.prefix],
      env: {
        ...(process.env as Record<string, string>),
        DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${h.t.schema}`)}`,
        REDIS_URL: TEST_REDIS_URL,
        TOLLGATE_POLICY: "manifests/policy.yaml",
        HUBSPOT_ACCESS_TOKEN: h.started.tollgateToken,
        HUBSPOT_PORTAL_ID: h.tenantId,
        HUBSPOT_APP_ID: String(LOCAL_TOLLGATE_APP_ID),
        HUBSPOT_CLIENT_SECRET: HUBSPOT_TEST_CLIENT_SECRET,
        HUBSPOT_API_BASE_URL: h.started.sandbox.url,
        TOLLGATE_API_KEYS: apiKeys(h.tenantId),
        TOLLGATE_AGENT_KEY: key,
        LOG_LEVEL: "silent",
      },
      stderr: "pipe",
    });
    return connectClient(transport);
  }

  beforeAll(async () => {
    h = await startMcpHarness();
    agent = await spawnAgent(KEYS.enrichment);
  }, 60_000);
  afterAll(async () => {
    await agent?.close();
    await h?.close();
  });

  it("shows the enrichment agent only its tools", async () => {
    expect(await agent.toolNames()).toEqual([
      "crm_get_record",
      "crm_propose_change",
      "crm_search_records",
      "crm_update_field",
      "get_decision",
    ]);
  });

  it("refuses a denied write with reasons and audits it in the server's chain", async () => {
    const r = await agent.call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "101",
      field: "hs_email_optout",
      value: "true",
      confidence: 1,
      source: "clearbit",
      reason: "unsubscribed elsewhere",
    });
    expect(r.isError).toBe(true);
    expect(r.body.decision.outcome).toBe("deny");
    expect(r.body.decision.reasons.join(" ")).toMatch(/humans only/i);
    const event = await auditEvent(h, r.body.eventId);
    expect(event.actor.via).toBe("mcp");
    expect(event.tool_name).toBe("crm_propose_change");
    expect(event.action).toBe("proposal");
  });

  it("lands a proposal as an approval in the card API", async () => {
    const r = await agent.call("crm_propose_change", {
      crm: "hubspot",
      objectType: "0-1",
      objectId: "102",
      field: "mobilephone",
      value: "+1 555 0199",
      confidence: 0.7,
      source: "apollo",
      reason: "direct dial from the provider",
      evidence: { provider: "apollo", matched: "grace@globex.example" },
    });
    expect(r.body.decision.outcome).toBe("needs_approval");
    const res = await fetch(`${h.baseUrl}/v1/records/hubspot/contacts/102/approvals`, {
      headers: { authorization: `Bearer ${KEYS.approver}` },
    });
    const { approvals } = (await res.json()) as { approvals: { id: string; status: string; proposedValue: string }[] };
    expect(approvals.find((a) => a.id === r.body.approvalId)).toMatchObject({
      status: "pending",
      proposedValue: "+1 555 0199",
    });
  });

  it("stops the next call when a kill switch is pulled in the server, and re-lists the tools", async () => {
    const listed = agent.nextListChange(15_000);
    await setSwitch(h, "enrichment-bot", "on");
    try {
      await listed;
      expect(await agent.toolNames()).not.toContain("crm_update_field");
      const r = await agent.call("crm_update_field", {
        crm: "hubspot",
        objectType: "companies",
        objectId: "5002",
        field: "industry",
        value: "Aerospace",
        confidence: 0.95,
        source: "clearbit",
        reason: "provider says so",
      });
      expect(r.isError).toBe(true);
      expect(r.body.decision.outcome).toBe("killed");
    } finally {
      await setSwitch(h, "enrichment-bot", "off");
    }
  });

  it("never lets another tenant's agent key reach this tenant", async () => {
    const mine = await agent.call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "103",
      field: "phone",
      value: "+44 20 7946 0000",
      confidence: 0.6,
      source: "apollo",
      reason: "office line",
    });
    const other = await spawnAgent(KEYS.otherTenant);
    try {
      const read = await other.call("crm_get_record", { crm: "hubspot", objectType: "contacts", objectId: "103" });
      expect(read.isError).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain("alan@globex.example");
      const peek = await other.call("get_decision", { approvalId: mine.body.approvalId });
      expect(peek.body.error.code).toBe("not_found");
    } finally {
      await other.close();
    }
    // It spawns a second `tollgate mcp`: a process start, not a test step, sets the pace.
  }, 60_000);
});

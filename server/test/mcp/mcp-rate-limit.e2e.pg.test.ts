import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { KEYS, connectClient, eventsOfTool, httpTransport, startMcpHarness, type AgentClient } from "./mcp-harness.js";

/** A runaway MCP agent is held to its call budget (TOLLGATE_MCP_CALLS_PER_MINUTE), across its sessions. */
describe("the MCP server's per-agent rate limit", () => {
  let h: Harness;
  let first: AgentClient;
  let second: AgentClient;
  let outreach: AgentClient;

  beforeAll(async () => {
    h = await startMcpHarness({ TOLLGATE_MCP_CALLS_PER_MINUTE: "5" });
    first = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
    second = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
    outreach = await connectClient(httpTransport(h.baseUrl, KEYS.outreach));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), outreach?.close()]);
    await h?.close();
  });

  it("refuses the call past the budget, whichever session it comes from, says when to retry, and audits it", async () => {
    const read = { crm: "hubspot", objectType: "contacts", objectId: "101" };
    for (let i = 0; i < 5; i++)
      expect((await (i % 2 ? second : first).call("crm_get_record", read)).isError).toBeFalsy();
    const refused = await second.call("crm_get_record", read);
    expect(refused.isError).toBe(true);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.body.error.details.retryAfterMs).toBeGreaterThan(0);
    expect(refused.body.properties).toBeUndefined();
    const [event] = await eventsOfTool(h, h.tenantId, "crm_get_record");
    expect(event!.decision?.rule_id).toBe("rate_limited");
    expect(event!.actor).toMatchObject({ id: "enrichment-bot", via: "mcp" });
    // Another agent has its own budget.
    expect((await outreach.call("crm_get_record", read)).isError).toBeFalsy();
  });
});

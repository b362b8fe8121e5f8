import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { KEYS, apiKeys, connectClient, eventsOfTool, httpTransport, type AgentClient } from "./mcp-harness.js";
import {
  deniedWriteIsRefused,
  killSwitchStopsAgent,
  otherTenantSeesNothing,
  proposalLandsAsApproval,
  seesOnly,
  type McpTarget,
} from "./mcp-scenarios.js";
import { ENRICHMENT_TOOLS } from "./hubspot-scenario-data.js";

const ORG = "00D5g000004XyZaEAK";

/**
 * The six tools through `CrmConnector` against the Salesforce sandbox (manifests/policy.salesforce.yaml),
 * with the MCP SDK's own client over Streamable HTTP: the same shared scenarios as HubSpot, plus the
 * read filter on a Salesforce record.
 */
describe("the governed MCP server on a Salesforce org", () => {
  let h: Harness;
  let target: McpTarget;
  let agent: AgentClient;
  let leadId: string;

  beforeAll(async () => {
    h = await startTollgateWithSandbox({ env: { TOLLGATE_API_KEYS: apiKeys(ORG) }, salesforce: {} });
    [leadId] = h.salesforce!.org.seed("Lead", [
      { LastName: "Lovelace", FirstName: "Ada", Company: "Analytical", Industry: "Energy", Title: "CTO" },
    ]) as [string];
    target = { h, tenantId: ORG, crm: "salesforce", connect: (key) => connectClient(httpTransport(h.baseUrl, key)) };
    agent = await target.connect(KEYS.enrichment);
  }, 90_000);
  afterAll(async () => {
    await agent?.close();
    await h?.close();
  });

  const change = (field: string, value: string) => ({
    objectType: "Lead",
    objectId: leadId,
    field,
    value,
    confidence: 0.6,
    source: "apollo",
    reason: "provider data",
  });

  it("shows the enrichment agent only its tools", async () => {
    await seesOnly(agent, ENRICHMENT_TOOLS);
  });

  it("reads a Salesforce record with only the fields the role may read, audited via mcp", async () => {
    const r = await agent.call("crm_get_record", {
      crm: "salesforce",
      objectType: "lead",
      objectId: leadId,
      properties: ["Industry", "Title", "FirstName"],
    });
    expect(r.isError).toBeFalsy();
    expect(r.body.objectType).toBe("Lead");
    expect(r.body.properties).toEqual({ Industry: "Energy", Title: "CTO" });
    expect(r.body.withheld).toEqual(["FirstName"]);
    const [event] = await eventsOfTool(h, ORG, "crm_get_record");
    expect(event!.actor.via).toBe("mcp");
    expect(JSON.stringify(event!.evidence)).not.toContain("Ada");
  });

  it("refuses a denied write with reasons and audits it", async () => {
    await deniedWriteIsRefused(target, agent, "crm_update_field", change("Status", "Working"), /read-only/i);
  });

  let proposal: { approvalId: string; eventId: string };
  it("lands a proposal as an approval in the card API", async () => {
    proposal = await proposalLandsAsApproval(target, agent, change("Title", "Chief Technology Officer"), "Lead");
  });

  it("closes the agent's session when a kill switch covers it; a new one is read-only until it lifts", async () => {
    agent = await killSwitchStopsAgent(
      target,
      agent,
      "enrichment-bot",
      KEYS.enrichment,
      change("Industry", "Banking"),
      {
        objectType: "Lead",
        objectId: leadId,
      },
    );
  });

  it("never lets another tenant's agent reach the org", async () => {
    await otherTenantSeesNothing(target, { objectType: "Lead", objectId: leadId }, "Analytical", proposal);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import {
  KEYS,
  OTHER_TENANT,
  connectClient,
  eventsOfTool,
  httpTransport,
  startMcpHarness,
  type AgentClient,
} from "./mcp-harness.js";
import {
  deniedWriteIsRefused,
  killSwitchStopsAgent,
  otherTenantSeesNothing,
  proposalLandsAsApproval,
  seesOnly,
  type McpTarget,
} from "./mcp-scenarios.js";
import { ENRICHMENT_TOOLS, HUBSPOT_SCENARIO } from "./hubspot-scenario-data.js";

/**
 * `POST /mcp` end to end with the MCP SDK's own client: a real Tollgate (PostgreSQL, Redis, the
 * HubSpot sandbox) under the shipped policy (manifests/policy.yaml). The scenarios every
 * transport shares are in mcp-scenarios.ts; what only HTTP has is here.
 */
describe("the governed MCP server over Streamable HTTP", () => {
  let h: Harness;
  let enrichment: AgentClient;
  let target: McpTarget;
  const d = HUBSPOT_SCENARIO;

  beforeAll(async () => {
    h = await startMcpHarness();
    target = {
      h,
      tenantId: h.tenantId,
      crm: "hubspot",
      connect: (key) => connectClient(httpTransport(h.baseUrl, key)),
    };
    enrichment = await target.connect(KEYS.enrichment);
  }, 60_000);
  afterAll(async () => {
    await enrichment?.close();
    await h?.close();
  });

  it("shows the enrichment agent only its tools, each naming what it may touch", async () => {
    await seesOnly(enrichment, ENRICHMENT_TOOLS);
    const { tools } = await enrichment.client.listTools();
    const propose = tools.find((t) => t.name === "crm_propose_change")!;
    expect(propose.description).toContain("contact.email (needs a person's approval)");
    expect(propose.description).toContain("company.industry");
    expect(propose.description).not.toContain("hs_lead_status");
    expect(propose.inputSchema.required).toEqual(
      expect.arrayContaining(["crm", "objectType", "objectId", "field", "value", "confidence", "source", "reason"]),
    );
    expect(tools.find((t) => t.name === "crm_get_record")!.description).toContain("hs_lead_status");

    // Outreach has actions and no writable field: request_action, and no write tool.
    const outreach = await target.connect(KEYS.outreach);
    try {
      await seesOnly(outreach, ["crm_get_record", "crm_search_records", "get_decision", "request_action"]);
    } finally {
      await outreach.close();
    }
  });

  it("returns only the properties the role may read, and audits the read with via mcp and the tool", async () => {
    const r = await enrichment.call("crm_get_record", {
      crm: "hubspot",
      objectType: "0-1",
      objectId: "101",
      properties: ["email", "firstname", "hs_lead_status", "jobtitle"],
    });
    expect(r.isError).toBeFalsy();
    expect(r.body.properties).toEqual({ email: "ada@northwind.example", hs_lead_status: "NEW" });
    expect(r.body.withheld).toEqual(["firstname", "jobtitle"]);

    const all = await enrichment.call("crm_get_record", { crm: "hubspot", objectType: "contact", objectId: "102" });
    expect(Object.keys(all.body.properties).sort()).toEqual([
      "email",
      "hs_email_optout",
      "hs_lead_status",
      "lifecyclestage",
      "mobilephone",
      "phone",
    ]);

    const [event] = await eventsOfTool(h, h.tenantId, "crm_get_record");
    expect(event!.actor).toEqual({ type: "agent", id: "enrichment-bot", role: "enrichment", via: "mcp" });
    expect(event!.action).toBe("read");
    expect(event!.object_id).toBe("102");
    expect(JSON.stringify(event!.evidence)).not.toContain("grace@globex.example");
  });

  it("refuses a search on a field the role may not read, and searches on one it may", async () => {
    const hidden = await enrichment.call("crm_search_records", {
      crm: "hubspot",
      objectType: "contacts",
      filters: [{ property: "firstname", operator: "eq", value: "Ada" }],
    });
    expect(hidden.isError).toBe(true);
    expect(hidden.body.error.code).toBe("filter_not_readable");

    const found = await enrichment.call("crm_search_records", {
      crm: "hubspot",
      objectType: "contacts",
      filters: [{ property: "hs_lead_status", operator: "eq", value: "OPEN" }],
      properties: ["email", "lastname"],
    });
    expect(found.isError).toBeFalsy();
    expect(found.body.records).toEqual([{ objectId: "102", properties: { email: "grace@globex.example" } }]);
    expect(found.body.withheld).toEqual(["lastname"]);
  });

  it("refuses a denied write with the decision's reasons, as a tool result, and audits it", async () => {
    const event = await deniedWriteIsRefused(target, enrichment, "crm_update_field", d.deniedWrite, d.deniedReason);
    expect(event.actor).toEqual({ type: "agent", id: "enrichment-bot", role: "enrichment", via: "mcp" });
    // A deny is final before any CRM read (the gate reads only for actions the policy leaves a chance).
    expect(event.field_diffs).toEqual([{ field: "hs_lead_status", before: null, after: "CONNECTED" }]);
    const { rows } = await h.tollgate.internals.db.query<{ kind: string }>(
      "SELECT kind FROM exceptions WHERE event_id = $1",
      [event.event_id],
    );
    expect(rows.map((x) => x.kind)).toEqual(["action_denied"]);
  });

  let proposal: { approvalId: string; eventId: string };
  it("lands a proposal as an approval in the card API, with its risk flags, and get_decision follows it", async () => {
    proposal = await proposalLandsAsApproval(target, enrichment, d.proposal, d.cardObjectType);
    const cards = await fetch(`${h.baseUrl}/v1/records/hubspot/contacts/103/approvals`, {
      headers: { authorization: `Bearer ${KEYS.approver}` },
    });
    const { approvals } = (await cards.json()) as { approvals: Record<string, unknown>[] };
    const approval = approvals.find((a) => a.id === proposal.approvalId)!;
    expect(approval).toMatchObject({ currentValue: "alan@globex.example", confidence: 0.4, agentId: "enrichment-bot" });
    expect(approval.riskFlags).toEqual(expect.arrayContaining(["low_confidence", "no_evidence", "overwrites_value"]));

    const standing = await enrichment.call("get_decision", { approvalId: proposal.approvalId });
    expect(standing.body.approval).toMatchObject({ id: proposal.approvalId, status: "pending" });
    const byEvent = await enrichment.call("get_decision", { eventId: proposal.eventId });
    expect(byEvent.body.event.decision.outcome).toBe("needs_approval");
    expect(byEvent.body.approval.status).toBe("pending");
  });

  it("closes the agent's session when a kill switch covers it; a new one is read-only until the switch lifts", async () => {
    enrichment = await killSwitchStopsAgent(target, enrichment, "enrichment-bot", KEYS.enrichment, d.killWrite, d.read);
  });

  it("never lets a tenant's agent reach another tenant", async () => {
    await otherTenantSeesNothing(target, d.otherTenantRead, d.secret, proposal);
    // Its own audit chain records what it tried; portal 62515's has none of it.
    expect((await eventsOfTool(h, OTHER_TENANT, "get_decision")).length).toBe(2);

    // Another key holding the enrichment agent's session id gets nothing from it.
    const sessionId = (enrichment.client.transport as { sessionId?: string }).sessionId!;
    const hijack = await fetch(`${h.baseUrl}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${KEYS.otherTenant}`,
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-06-18",
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(hijack.status).toBe(404);
    const noKey = await fetch(`${h.baseUrl}/mcp`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    const human = await fetch(`${h.baseUrl}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.owner}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(human.status).toBe(403);
  });

  it("closeSessionsFor ends an agent's sessions: its next call fails, a new session works", async () => {
    const doomed = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
    const outreach = await connectClient(httpTransport(h.baseUrl, KEYS.outreach));
    try {
      const before = h.tollgate.services.mcp.sessionCount(h.tenantId);
      expect(await h.tollgate.services.mcp.closeSessionsFor(h.tenantId, ["enrichment-bot"])).toBe(2);
      expect(h.tollgate.services.mcp.sessionCount(h.tenantId)).toBe(before - 2);
      await expect(
        doomed.call("crm_get_record", { crm: "hubspot", objectType: "contacts", objectId: "101" }),
      ).rejects.toThrow();
      expect(
        (await outreach.call("crm_get_record", { crm: "hubspot", objectType: "contacts", objectId: "101" })).isError,
      ).toBeFalsy();
      enrichment = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
      expect(await enrichment.toolNames()).toContain("crm_propose_change");
    } finally {
      await doomed.close().catch(() => undefined);
      await outreach.close();
    }
  });

  it("re-lists the tools of open sessions when the policy changes", async () => {
    // Enrichment keeps its reads and loses every writable field: its write tools go away.
    const readOnly = [
      "version: 1",
      "tenant: default",
      "agents:",
      "  - { id: enrichment-bot, role: enrichment }",
      "roles:",
      "  enrichment:",
      "    objects:",
      "      contact: { read: allow, fields: { email: { tier: 1 } } }",
      "",
    ].join("\n");
    const listed = enrichment.nextListChange();
    const put = await fetch(`${h.baseUrl}/v1/policy`, {
      method: "PUT",
      headers: { authorization: `Bearer ${KEYS.owner}`, "content-type": "application/yaml" },
      body: readOnly,
    });
    expect(put.status).toBe(200);
    await listed;
    expect(await enrichment.toolNames()).toEqual(["crm_get_record", "crm_search_records"]);
  });
});

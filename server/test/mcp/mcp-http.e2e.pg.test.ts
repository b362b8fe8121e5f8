import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import {
  KEYS,
  OTHER_TENANT,
  auditEvent,
  connectClient,
  eventsOfTool,
  httpTransport,
  setSwitch,
  startMcpHarness,
  type AgentClient,
} from "./mcp-harness.js";

/**
 * `POST /mcp` end to end with the MCP SDK's own client: a real Tollgate (PostgreSQL, Redis, the
 * HubSpot sandbox) under the shipped policy (manifests/policy.yaml).
 */
describe("the governed MCP server over Streamable HTTP", () => {
  let h: Harness;
  let enrichment: AgentClient;

  beforeAll(async () => {
    h = await startMcpHarness();
    enrichment = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
  }, 60_000);
  afterAll(async () => {
    await enrichment?.close();
    await h?.close();
  });

  it("shows the enrichment agent only its tools, each naming what it may touch", async () => {
    expect(await enrichment.toolNames()).toEqual([
      "crm_get_record",
      "crm_propose_change",
      "crm_search_records",
      "crm_update_field",
      "get_decision",
    ]);
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
    const outreach = await connectClient(httpTransport(h.baseUrl, KEYS.outreach));
    try {
      expect(await outreach.toolNames()).toEqual([
        "crm_get_record",
        "crm_search_records",
        "get_decision",
        "request_action",
      ]);
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
    const r = await enrichment.call("crm_update_field", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "101",
      field: "hs_lead_status",
      value: "CONNECTED",
      confidence: 0.99,
      source: "clearbit",
      reason: "it looked connected",
    });
    expect(r.isError).toBe(true);
    expect(r.body.decision.outcome).toBe("deny");
    expect(r.body.decision.reasons.join(" ")).toMatch(/read-only/i);
    expect(r.body.status).toMatch(/^refused \(deny\)/);

    const event = await auditEvent(h, r.body.eventId);
    expect(event.actor).toEqual({ type: "agent", id: "enrichment-bot", role: "enrichment", via: "mcp" });
    expect(event.tool_name).toBe("crm_update_field");
    expect(event.decision?.outcome).toBe("deny");
    // A deny is final before any CRM read (the gate reads only for actions the policy leaves a chance).
    expect(event.field_diffs).toEqual([{ field: "hs_lead_status", before: null, after: "CONNECTED" }]);
    const { rows } = await h.tollgate.internals.db.query<{ kind: string }>(
      "SELECT kind FROM exceptions WHERE event_id = $1",
      [r.body.eventId],
    );
    expect(rows.map((x) => x.kind)).toEqual(["action_denied"]);
  });

  it("lands a proposal as an approval in the card API, with its risk flags, and get_decision follows it", async () => {
    const r = await enrichment.call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "103",
      field: "email",
      value: "alan.turing@globex.example",
      confidence: 0.4,
      source: "apollo",
      reason: "newer address on the company site",
    });
    expect(r.isError).toBeFalsy();
    expect(r.body.decision.outcome).toBe("needs_approval");
    expect(r.body.approvalId).toEqual(expect.any(String));

    const cards = await fetch(`${h.baseUrl}/v1/records/hubspot/contacts/103/approvals`, {
      headers: { authorization: `Bearer ${KEYS.approver}` },
    });
    const { approvals } = (await cards.json()) as { approvals: Record<string, unknown>[] };
    const approval = approvals.find((a) => a.id === r.body.approvalId)!;
    expect(approval).toMatchObject({
      status: "pending",
      field: "email",
      currentValue: "alan@globex.example",
      proposedValue: "alan.turing@globex.example",
      confidence: 0.4,
      source: "apollo",
      agentId: "enrichment-bot",
    });
    expect(approval.riskFlags).toEqual(expect.arrayContaining(["low_confidence", "no_evidence", "overwrites_value"]));
    const event = await auditEvent(h, r.body.eventId);
    expect(event.action).toBe("proposal");
    expect(event.tool_name).toBe("crm_propose_change");
    expect(event.approval?.id).toBe(r.body.approvalId);

    const standing = await enrichment.call("get_decision", { approvalId: r.body.approvalId });
    expect(standing.body.approval).toMatchObject({ id: r.body.approvalId, status: "pending" });
    const byEvent = await enrichment.call("get_decision", { eventId: r.body.eventId });
    expect(byEvent.body.event.decision.outcome).toBe("needs_approval");
    expect(byEvent.body.approval.status).toBe("pending");
  });

  it("stops the next call when a kill switch covers the agent, and re-lists its tools", async () => {
    const listed = enrichment.nextListChange();
    await setSwitch(h, "enrichment-bot", "on");
    try {
      await listed;
      expect(await enrichment.toolNames()).toEqual(["crm_get_record", "crm_search_records", "get_decision"]);
      const r = await enrichment.call("crm_propose_change", {
        crm: "hubspot",
        objectType: "companies",
        objectId: "5001",
        field: "industry",
        value: "Wholesale",
        confidence: 0.95,
        source: "clearbit",
        reason: "provider says so",
      });
      expect(r.isError).toBe(true);
      expect(r.body.decision.outcome).toBe("killed");
      expect(r.body.decision.reasons.join(" ")).toContain("agent:enrichment-bot");
      expect((await auditEvent(h, r.body.eventId)).decision?.outcome).toBe("killed");
      // Read-only, not cut off (R7): reads still answer.
      const read = await enrichment.call("crm_get_record", { crm: "hubspot", objectType: "company", objectId: "5001" });
      expect(read.body.properties.industry).toBe("Retail");
    } finally {
      const back = enrichment.nextListChange();
      await setSwitch(h, "enrichment-bot", "off");
      await back;
    }
    expect(await enrichment.toolNames()).toContain("crm_propose_change");
  });

  it("never lets a tenant's agent reach another tenant", async () => {
    const proposal = await enrichment.call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "102",
      field: "phone",
      value: "+1 555 0100",
      confidence: 0.5,
      source: "apollo",
      reason: "switchboard",
    });
    const other = await connectClient(httpTransport(h.baseUrl, KEYS.otherTenant));
    try {
      const read = await other.call("crm_get_record", { crm: "hubspot", objectType: "contacts", objectId: "101" });
      expect(read.isError).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain("ada@northwind.example");
      const peek = await other.call("get_decision", { approvalId: proposal.body.approvalId });
      expect(peek.isError).toBe(true);
      expect(peek.body.error.code).toBe("not_found");
      const byEvent = await other.call("get_decision", { eventId: proposal.body.eventId });
      expect(byEvent.body.error.code).toBe("not_found");
      // Its own audit chain records what it tried; portal 62515's has none of it.
      expect((await eventsOfTool(h, OTHER_TENANT, "get_decision")).length).toBe(2);
    } finally {
      await other.close();
    }

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

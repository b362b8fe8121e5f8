import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { startTollgateWithSandbox, PORTAL_ID, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const TENANT = String(PORTAL_ID);
const enrichment = { kind: "app", appId: "1000002" } as const;
const rep = { kind: "user", userId: "42" } as const;

let h: Harness;

async function eventsFor(objectId: string): Promise<AuditEvent[]> {
  const page = await h.tollgate.services.audit.query({ tenantId: TENANT, objectId, limit: 200 });
  return page.events;
}

beforeAll(async () => {
  h = await startTollgateWithSandbox();
});
afterAll(async () => h?.close());

describe("HubSpot enforcement loop (sandbox → signed webhooks → Tollgate → HubSpot API)", () => {
  it("provisions the provenance and shadow properties before accepting webhooks", async () => {
    const res = await fetch(`${h.started.sandbox.url}/crm/v3/properties/contacts/ai_proposed_email`, {
      headers: { authorization: `Bearer ${h.started.tollgateToken}` },
    });
    expect(res.status).toBe(200);
    const prov = await fetch(`${h.started.sandbox.url}/crm/v3/properties/contacts/ai_sdr_confidence_score`, {
      headers: { authorization: `Bearer ${h.started.tollgateToken}` },
    });
    expect(prov.status).toBe(200);
  });

  it("reverts a direct write to a read-only field to the value before the agent's write, and audits deny + revert", async () => {
    h.started.sandbox.write("contacts", "101", { lifecyclestage: "customer" }, enrichment);
    await h.settle();
    expect(h.started.sandbox.getRecord("contacts", "101")?.properties.lifecyclestage).toBe("lead");
    const events = await eventsFor("101");
    const deny = events.find((e) => e.action === "field_write" && e.decision?.outcome === "deny");
    expect(deny).toMatchObject({
      actor: { type: "agent", id: "enrichment-bot", role: "enrichment" },
      field_diffs: [{ field: "lifecyclestage", before: "lead", after: "customer" }],
    });
    const revert = events.find((e) => e.action === "crm_write" && e.caused_by === deny!.event_id);
    expect(revert?.result).toBe("ok");
    // The sandbox history shows Tollgate's own write as the latest, made with its app token.
    expect(h.started.sandbox.history("contacts", "101", "lifecyclestage")[0]).toMatchObject({
      value: "lead",
      sourceType: "INTEGRATION",
      sourceId: "7777",
    });
    const exceptions = await h.tollgate.services.exceptions.list(TENANT);
    expect(
      exceptions.some((x) => x.objectId === "101" && x.kind === "disallowed_write" && x.field === "lifecyclestage"),
    ).toBe(true);
  });

  it("never re-enforces Tollgate's own writes when they come back as webhooks", async () => {
    const before = (await eventsFor("101")).filter((e) => e.decision?.outcome === "deny").length;
    await h.settle();
    const after = (await eventsFor("101")).filter((e) => e.decision?.outcome === "deny").length;
    expect(after).toBe(before);
    const history = h.started.sandbox.history("contacts", "101", "lifecyclestage");
    expect(history.filter((x) => x.sourceId === "7777")).toHaveLength(1);
  });

  it("applies a shadow proposal that passes its auto rule, with provenance, and clears the shadow", async () => {
    h.started.sandbox.write(
      "contacts",
      "102",
      {
        ai_sdr_confidence_score: "0.95",
        ai_sdr_source: "apollo",
        ai_sdr_change_reason: "verified bounce-free address",
        ai_sdr_evidence: '{"sources":["https://apollo.example/p/1"]}',
        ai_proposed_email: "grace.hopper@globex.example",
      },
      enrichment,
    );
    await h.settle();
    const record = h.started.sandbox.getRecord("contacts", "102")!.properties;
    expect(record.email).toBe("grace.hopper@globex.example");
    expect(record.ai_proposed_email ?? "").toBe("");
    const proposal = (await eventsFor("102")).find((e) => e.action === "proposal");
    expect(proposal).toMatchObject({
      decision: { outcome: "allow", tier: 3 },
      confidence: 0.95,
      reason: "verified bounce-free address",
    });
    expect(record.ai_sdr_event_id).toBe(proposal!.event_id);
  });

  it("holds a regulated account's proposal for a person from the company's industry, with no flag from the agent", async () => {
    // Initech Bank (5003) is in Banking; apollo is an allowlisted source, so only the CRM's
    // industry field stands between this proposal and the canonical field.
    const write = (id: string, value: string) =>
      h.started.sandbox.write(
        "companies",
        id,
        { ai_sdr_confidence_score: "0.97", ai_sdr_source: "apollo", ai_proposed_numberofemployees: value },
        enrichment,
      );
    write("5003", "950");
    write("5001", "260");
    await h.settle();
    expect(h.started.sandbox.getRecord("companies", "5003")!.properties.numberofemployees).toBe("800");
    const [held] = await h.tollgate.services.approvals.listForRecord(TENANT, "companies", "5003");
    expect(held).toMatchObject({ status: "pending", field: "numberofemployees", proposedValue: "950" });
    const proposal = (await eventsFor("5003")).find((e) => e.action === "proposal");
    expect(proposal?.decision).toMatchObject({
      outcome: "needs_approval",
      rule_id: "roles.enrichment.objects.company.fields.numberofemployees",
    });
    // The retailer next to it, same agent, same source: applied.
    expect(h.started.sandbox.getRecord("companies", "5001")!.properties.numberofemployees).toBe("260");
  });

  it("decides a direct write by the source the agent stated beside it: a qualifying source stays, others are reverted", async () => {
    // annualrevenue is tier 2 with `auto_if: { sources: [clearbit, zoominfo, apollo] }` — the same
    // rule the gate applies. The agent writes the field itself, its source beside it.
    const structured = JSON.stringify({
      source: "zoominfo",
      model: "gpt-x-2026-10",
      agent: "enrich@4.2",
      tool: "enrich",
    });
    h.started.sandbox.write(
      "companies",
      "5002",
      { ai_sdr_source: structured, ai_sdr_change_reason: "annual report", annualrevenue: "5000000" },
      enrichment,
    );
    h.started.sandbox.write("companies", "5001", { ai_sdr_source: "scraper", annualrevenue: "9000000" }, enrichment);
    // A regulated account: the qualifying source does not lift its `regulated_industry: human`.
    h.started.sandbox.write("companies", "5003", { ai_sdr_source: "apollo", annualrevenue: "7000000" }, enrichment);
    await h.settle();
    const value = (id: string) => h.started.sandbox.getRecord("companies", id)!.properties.annualrevenue ?? null;
    expect(value("5002")).toBe("5000000");
    expect(value("5001")).not.toBe("9000000");
    expect(value("5003")).not.toBe("7000000");
    const write = async (id: string) =>
      (await eventsFor(id)).find((e) => e.action === "field_write" && e.field_diffs?.[0]?.field === "annualrevenue");
    expect(await write("5002")).toMatchObject({
      decision: { outcome: "allow", rule_id: "roles.enrichment.objects.company.fields.annualrevenue" },
      source_signal: "zoominfo",
      model_version: "gpt-x-2026-10",
      tool_name: "enrich",
      reason: "annual report",
    });
    // The reverted write keeps what the agent stated: replay under another policy decides it again.
    expect(await write("5001")).toMatchObject({ decision: { outcome: "needs_approval" }, source_signal: "scraper" });
    expect((await write("5003"))?.decision?.outcome).toBe("needs_approval");
  });

  it("queues a proposal that needs a person as an approval in PostgreSQL and Redis", async () => {
    h.started.sandbox.write(
      "contacts",
      "103",
      {
        ai_sdr_confidence_score: "0.6",
        ai_sdr_source: "apollo",
        ai_sdr_change_reason: "found on website",
        ai_proposed_phone: "+1 555 0100",
      },
      enrichment,
    );
    await h.settle();
    const [approval] = await h.tollgate.services.approvals.listForRecord(TENANT, "contacts", "103");
    expect(approval).toMatchObject({
      status: "pending",
      field: "phone",
      proposedValue: "+1 555 0100",
      confidence: 0.6,
      agentId: "enrichment-bot",
      approvalsNeeded: 1,
    });
    expect(h.started.sandbox.getRecord("contacts", "103")!.properties.phone ?? "").toBe("");
    const pending = await h.tollgate.internals.approvalQueue.rebuild();
    expect(pending).toBeGreaterThanOrEqual(1);
  });

  it("clears a proposal for a field the agent may not touch, audits it and opens an exception", async () => {
    // The outreach agent has no say over contact email (only enrichment may propose it).
    h.started.sandbox.write(
      "contacts",
      "103",
      { ai_proposed_email: "someone@else.example" },
      { kind: "app", appId: "1000003" },
    );
    await h.settle();
    const record = h.started.sandbox.getRecord("contacts", "103")!.properties;
    expect(record.ai_proposed_email ?? "").toBe("");
    expect(record.email).toBe("alan@globex.example");
    const refused = (await eventsFor("103")).find((e) => e.action === "proposal" && e.decision?.outcome === "deny");
    expect(refused).toMatchObject({
      actor: { id: "outreach-bot" },
      field_diffs: [{ field: "email", after: "someone@else.example" }],
    });
    expect(
      (await h.tollgate.services.exceptions.list(TENANT)).some(
        (x) => x.kind === "proposal_refused" && x.objectId === "103",
      ),
    ).toBe(true);
  });

  it("records a person's edit as observed and never reverts it", async () => {
    h.started.sandbox.write("contacts", "101", { jobtitle: "COO" }, rep);
    await h.settle();
    expect(h.started.sandbox.getRecord("contacts", "101")!.properties.jobtitle).toBe("COO");
    const observed = (await eventsFor("101")).find(
      (e) => e.decision?.outcome === "observed" && e.field_diffs[0]?.field === "jobtitle",
    );
    expect(observed?.actor).toMatchObject({ type: "human", id: "hubspot:user:42" });
  });

  it("keeps the audit chain intact through all of it", async () => {
    const res = await h.tollgate.services.audit.verify(TENANT);
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(5);
  });

  it("reports decisions, webhook events, CRM calls and audit events on /metrics", async () => {
    const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    expect(value(/^tollgate_decisions_total\{outcome="deny",source="webhook"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^tollgate_decisions_total\{outcome="observed",source="webhook"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^tollgate_webhook_events_total\{result="accepted"\} (\d+)/m)).toBeGreaterThan(5);
    expect(
      value(/^tollgate_crm_calls_total\{crm="hubspot",operation="write",status="ok"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(3);
    expect(value(/^tollgate_audit_events_total\{tenant="62515"\} (\d+)/m)).toBeGreaterThan(5);
  });
});

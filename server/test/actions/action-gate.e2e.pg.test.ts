import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPermit } from "../../src/actions/index.js";
import { compliantSend, PERMIT_SECRET, startGateHarness, type GateHarness } from "./gate-harness.js";

/**
 * `POST /v1/actions` end to end: a real Tollgate (PostgreSQL, Redis, the HubSpot sandbox), the
 * gate wired to its audit log, approvals, write queue, kill switches and triggers.
 */
describe("POST /v1/actions: sends, approvals and field writes", () => {
  let g: GateHarness;
  let seq = 0;
  const address = () => `lead${++seq}-${Date.now()}@prospect.example.org`;

  beforeAll(async () => {
    g = await startGateHarness();
  }, 60_000);
  afterAll(async () => {
    await g?.close();
  });

  const exceptionsFor = async (eventId: string) =>
    (
      await g.h.tollgate.internals.db.query<{ kind: string; rule_id: string; agent_id: string; summary: string }>(
        "SELECT kind, rule_id, agent_id, summary FROM exceptions WHERE event_id = $1",
        [eventId],
      )
    ).rows;
  const denialRate = async (agentId: string) =>
    (
      await g.triggers.add(
        g.tenantId,
        [{ metric: "denials_per_minute", subject: `agent:${agentId}`, n: 0 }],
        new Date(),
      )
    )[0]!.after;

  it("drill 1: an operator without send is refused, the refusal is audited, opens an exception and counts toward the denial trigger", async () => {
    const before = await denialRate("nosend-bot");
    const res = await g.act("nosend-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: compliantSend(address()),
      runId: "drill-1",
    });
    expect(res.status).toBe(200);
    expect(res.body.decision.outcome).toBe("deny");
    expect(res.body.decision.ruleId).toBe("deny_by_default");
    expect(res.body.executed).toBe(false);
    expect(res.body.permit).toBeUndefined();

    const event = await g.event(res.body.eventId);
    expect(event.action).toBe("send_email");
    expect(event.actor).toEqual({ type: "agent", id: "nosend-bot", role: "operator", via: "api_key:nosend-bot" });
    expect(event.decision?.outcome).toBe("deny");
    expect(event.run_id).toBe("drill-1");
    expect(await exceptionsFor(res.body.eventId)).toEqual([
      expect.objectContaining({ kind: "action_denied", rule_id: "deny_by_default", agent_id: "nosend-bot" }),
    ]);
    expect(await denialRate("nosend-bot")).toBeCloseTo(before + 1, 5);
  });

  it("drill 1, continued: repeated refusals trip the agent's switch, alert, and the key is refused from then on", async () => {
    for (let i = 0; i < 6 && g.alerts.length === 0; i++) {
      await g.act("nosend-bot", {
        action: "send_email",
        crm: "hubspot",
        object: "contact",
        payload: compliantSend(address()),
      });
    }
    expect(g.alerts).toEqual([
      expect.objectContaining({
        type: "kill_switch.tripped",
        metric: "denials_per_minute",
        scope: { type: "agent", value: "nosend-bot" },
      }),
    ]);
    const refused = await g.act("nosend-bot", { action: "create_task", crm: "hubspot", object: "task" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("agent_killed");
  });

  it("allows a send of an approved template with a permit: intent audited first, nothing executed by Tollgate", async () => {
    const writesBefore = (await g.h.tollgate.internals.writes.stats(g.tenantId)).pending;
    const payload = compliantSend(address());
    const res = await g.act("outreach-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload,
      confidence: 0.93,
      promptHash: "ab".repeat(32),
      modelVersion: "m-1",
      toolName: "gmail.send",
    });
    expect(res.body.decision).toMatchObject({ outcome: "allow", tier: 3, ruleId: "roles.outreach.actions.send_email" });
    expect(res.body.executed).toBe(false);
    expect(res.body.permit.eventId).toBe(res.body.eventId);
    const ttl = new Date(res.body.permit.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect(readPermit(PERMIT_SECRET, res.body.permit.token)).toMatchObject({
      agentId: "outreach-bot",
      action: "send_email",
      eventId: res.body.eventId,
    });
    expect(readPermit(Buffer.alloc(32, 8), res.body.permit.token)).toBeUndefined();

    const event = await g.event(res.body.eventId);
    expect(event.decision).toMatchObject({ outcome: "allow", rule_id: "roles.outreach.actions.send_email" });
    expect(event.evidence).toMatchObject({
      payload: { to: payload.to, body: payload.body, template: "intro-v1" },
      intent: expect.stringContaining("agent performs"),
    });
    expect(event).toMatchObject({
      prompt_hash: "ab".repeat(32),
      model_version: "m-1",
      tool_name: "gmail.send",
      confidence: 0.93,
    });
    expect((await g.h.tollgate.internals.writes.stats(g.tenantId)).pending).toBe(writesBefore);
  });

  it("drill 2: a new template family needs a person; approving it sends nothing; the retry is allowed and carries the approval", async () => {
    const payload = compliantSend(address(), { template: "spring-promo-v1", subject: "Spring offer" });
    const request = { action: "send_email", crm: "hubspot", object: "contact", payload };
    const first = await g.act("approval-bot", request);
    expect(first.body.decision.outcome).toBe("needs_approval");
    expect(first.body.approvalId).toEqual(expect.any(String));
    // Asking again waits on the same approval rather than replacing it.
    expect((await g.act("approval-bot", request)).body.approvalId).toBe(first.body.approvalId);
    // Retrying before anyone approved gets no further.
    expect((await g.act("approval-bot", { ...request, approvalId: first.body.approvalId })).body.decision.outcome).toBe(
      "needs_approval",
    );

    const writesBefore = await g.h.tollgate.internals.db.query("SELECT id FROM crm_writes WHERE tenant_id = $1", [
      g.tenantId,
    ]);
    const approved = await g.approve(first.body.approvalId);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", field: "send_email", outcome: "approved" });
    // The approver read the message itself, not its digest.
    expect(approved.body).toMatchObject({
      action: "send_email",
      message: { to: payload.to, subject: "Spring offer", body: payload.body, template: "spring-promo-v1" },
    });
    const writesAfter = await g.h.tollgate.internals.db.query("SELECT id FROM crm_writes WHERE tenant_id = $1", [
      g.tenantId,
    ]);
    expect(writesAfter.rows.length).toBe(writesBefore.rows.length);

    // Another message under the same approval is a mismatch, and refused.
    const other = await g.act("approval-bot", {
      ...request,
      payload: { ...payload, body: `${payload.body} P.S. 50% off!` },
      approvalId: first.body.approvalId,
    });
    expect(other.body.decision.outcome).toBe("deny");
    expect(other.body.riskFlags).toContain("approval_mismatch");

    const retry = await g.act("approval-bot", { ...request, approvalId: first.body.approvalId });
    expect(retry.body.decision.outcome).toBe("allow");
    expect(retry.body.approvalId).toBe(first.body.approvalId);
    expect(retry.body.permit.eventId).toBe(retry.body.eventId);
    const event = await g.event(retry.body.eventId);
    expect(event.approval).toMatchObject({ id: first.body.approvalId, approvers: ["ada"] });
    const row = await g.h.tollgate.services.approvals.get(g.tenantId, first.body.approvalId);
    expect(row).toMatchObject({ status: "applied", action: "send_email" });

    // One approval, one send.
    const again = await g.act("approval-bot", { ...request, approvalId: first.body.approvalId });
    expect(again.body.decision.outcome).toBe("deny");
    expect(again.body.decision.reasons.join(" ")).toContain("already used");
  });

  it("a meeting outside its window parks for a person; an approved exception lets the retry through and the audit names who allowed it", async () => {
    const request = {
      action: "book_meeting",
      crm: "hubspot",
      object: "contact",
      objectId: "9001",
      payload: { meetingAt: new Date(Date.now() + 86_400_000).toISOString() },
    };
    const first = await g.act("approval-bot", request);
    expect(first.body.decision.outcome).toBe("outside_window");
    expect(first.body.approvalId).toEqual(expect.any(String));
    expect((await g.h.tollgate.services.approvals.get(g.tenantId, first.body.approvalId))?.riskFlags).toContain(
      "outside_window",
    );
    expect((await g.approve(first.body.approvalId)).status).toBe(200);
    const retry = await g.act("approval-bot", { ...request, approvalId: first.body.approvalId });
    expect(retry.body.decision.outcome).toBe("allow");
    expect((await g.event(retry.body.eventId)).exceptions).toEqual([
      { rule: "windows.book_meeting", allowed_by: "ada" },
    ]);
  });

  it("refuses sends that fail compliance, with every reason and a risk flag each", async () => {
    const noUnsubscribe = await g.act("compliance-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: compliantSend(address(), { body: "Hi, buy now." }),
    });
    expect(noUnsubscribe.body.decision.outcome).toBe("deny");
    expect(noUnsubscribe.body.riskFlags).toEqual(["missing_unsubscribe"]);
    expect(noUnsubscribe.body.decision.reasons[0]).toContain("unsubscribe");

    const deceptive = await g.act("compliance-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: compliantSend(address(), { from: "ceo@bank.example.net", requirePostalAddress: true }),
    });
    expect(deceptive.body.riskFlags.sort()).toEqual(["deceptive_sender", "missing_postal_address"]);

    const flagged = await g.act("compliance-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: compliantSend(address(), { optedOut: true }),
    });
    expect(flagged.body.riskFlags).toEqual(["recipient_opted_out"]);

    // The CRM says so: the contact's hs_email_optout is read before the send.
    const [contact] = g.h.started.sandbox.seed("contacts", [
      { properties: { email: "gone@prospect.example.org", hs_email_optout: "true" } },
    ]);
    const crmOptOut = await g.act("compliance-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      objectId: contact!.id,
      payload: compliantSend("gone@prospect.example.org"),
    });
    expect(crmOptOut.body.decision.outcome).toBe("deny");
    expect(crmOptOut.body.riskFlags).toEqual(["recipient_opted_out"]);
    expect((await g.event(crmOptOut.body.eventId)).risk_flags).toEqual(["recipient_opted_out"]);
  });

  it("refuses the same template to the same recipient twice within 24 hours", async () => {
    const payload = compliantSend(address());
    const first = await g.act("outreach-bot", { action: "send_email", crm: "hubspot", object: "contact", payload });
    expect(first.body.decision.outcome).toBe("allow");
    // Upper-case address, reached through a lead this time: still the same person.
    const second = await g.act("outreach-bot", {
      action: "send_email",
      crm: "hubspot",
      object: "lead",
      payload: { ...payload, to: payload.to.toUpperCase() },
    });
    expect(second.body.decision.outcome).toBe("deny");
    expect(second.body.riskFlags).toEqual(["duplicate_send"]);
    expect(second.body.decision.reasons[0]).toContain(first.body.eventId);
  });

  it("answers regulated-industry and named-account exceptions from the CRM, whatever flags the agent sends", async () => {
    const [bank, named, shop] = g.h.started.sandbox.seed("companies", [
      { properties: { name: "Gate Bank", industry: "Banking" } },
      { properties: { name: "Key Account", industry: "Retail", tollgate_named_account: "true" } },
      { properties: { name: "Corner Shop", industry: "Retail" } },
    ]);
    const ask = (id: string) =>
      g.act("enrichment-bot", {
        action: "update_field",
        crm: "hubspot",
        object: "company",
        objectId: id,
        field: "numberofemployees",
        value: "120",
        source: "apollo",
        attributes: { regulatedIndustry: false, namedAccount: false },
      });
    const held = await ask(bank!.id);
    expect(held.body.decision).toMatchObject({ outcome: "needs_approval" });
    expect(held.body.decision.reasons).toContain("regulated industry: a human decides");
    expect(held.body.executed).toBe(false);
    const locked = await ask(named!.id);
    expect(locked.body.decision).toMatchObject({
      outcome: "deny",
      reasons: expect.arrayContaining(["named account: locked"]),
    });
    const allowed = await ask(shop!.id);
    expect(allowed.body).toMatchObject({ executed: true, decision: { outcome: "allow" } });
  });

  it("executes an allowed update_field as a CRM write with provenance, and parks a tier-3 field for approval", async () => {
    const [contact] = g.h.started.sandbox.seed("contacts", [
      { properties: { email: "field@prospect.example.org", industry: "Retail", jobtitle: "CTO" } },
    ]);
    const res = await g.act("enrichment-bot", {
      action: "update_field",
      crm: "hubspot",
      object: "contact",
      objectId: contact!.id,
      field: "industry",
      value: "Fintech",
      confidence: 0.88,
      source: "clearbit",
      reason: "site says payments",
    });
    expect(res.body).toMatchObject({ executed: true, decision: { outcome: "allow" }, writeId: expect.any(String) });
    const event = await g.event(res.body.eventId);
    expect(event.field_diffs).toEqual([{ field: "industry", before: "Retail", after: "Fintech" }]);
    await g.h.settle();
    const record = g.h.started.sandbox.getRecord("contacts", contact!.id)!;
    expect(record.properties).toMatchObject({
      industry: "Fintech",
      ai_sdr_event_id: res.body.eventId,
      ai_sdr_source: "clearbit",
      ai_sdr_change_reason: "site says payments",
    });
    const { rows } = await g.h.tollgate.internals.db.query<{
      purpose: string;
      agent_id: string;
      caused_by: string;
      status: string;
    }>("SELECT purpose, agent_id, caused_by, status FROM crm_writes WHERE id = $1", [res.body.writeId]);
    expect(rows[0]).toEqual({
      purpose: "agent_action",
      agent_id: "enrichment-bot",
      caused_by: res.body.eventId,
      status: "done",
    });
    const provenance = await g.read(`/v1/records/hubspot/contacts/${contact!.id}/provenance`);
    expect(provenance.body.changes).toContainEqual(
      expect.objectContaining({
        eventId: res.body.eventId,
        action: "update_field",
        field: "industry",
        before: "Retail",
        after: "Fintech",
        outcome: "allow",
        source: "clearbit",
      }),
    );

    const parked = await g.act("enrichment-bot", {
      action: "update_field",
      crm: "hubspot",
      object: "contact",
      objectId: contact!.id,
      field: "jobtitle",
      value: "VP Engineering",
    });
    expect(parked.body).toMatchObject({
      executed: false,
      decision: { outcome: "needs_approval" },
      approvalId: expect.any(String),
    });
    expect(await g.h.tollgate.services.approvals.get(g.tenantId, parked.body.approvalId)).toMatchObject({
      action: "field_write",
      field: "jobtitle",
      currentValue: "CTO",
      proposedValue: "VP Engineering",
    });
    expect((await g.approve(parked.body.approvalId)).body.status).toBe("approved");
    await g.h.settle();
    expect(g.h.started.sandbox.getRecord("contacts", contact!.id)!.properties.jobtitle).toBe("VP Engineering");
  });
});

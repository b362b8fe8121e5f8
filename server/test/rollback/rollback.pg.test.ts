import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { ValidationError } from "../../src/errors/index.js";
import {
  AGENT_APP,
  OTHER_AGENT_APP,
  OWNER,
  REP,
  startRollbackHarness,
  type RollbackHarness,
} from "./rollback-harness.js";

const TENANT = "rb-tenant";
const REVOPS = { type: "human" as const, id: "rita", role: "revops_admin", via: "api_key" };
let h: RollbackHarness;

async function agentWriteEvent(objectId: string, property: string): Promise<AuditEvent> {
  const { events } = await h.audit.query({
    tenantId: TENANT,
    objectId,
    agentId: "enrichment-bot",
    outcome: "allow",
    limit: 100,
  });
  const e = events.find((x) => x.action === "field_write" && x.field_diffs[0]?.field === property);
  if (!e) throw new Error(`no allowed write of ${property} on ${objectId}`);
  return e;
}

async function rollbackRows(objectId?: string) {
  const { rows } = await h.t.db.query<{
    object_id: string;
    properties: Record<string, string>;
    purpose: string;
    status: string;
    agent_id: string | null;
    expected: Record<string, string> | null;
    caused_by: string;
  }>(
    "SELECT object_id, properties, purpose, status, agent_id, expected, caused_by FROM crm_writes WHERE tenant_id = $1 AND purpose = 'rollback' AND ($2::text IS NULL OR object_id = $2) ORDER BY seq",
    [TENANT, objectId ?? null],
  );
  return rows;
}

async function waitForJob(jobId: string) {
  for (let i = 0; i < 200; i++) {
    const job = await h.rollback.getJob(TENANT, jobId);
    if (job && (job.state === "done" || job.state === "failed")) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("job never finished");
}

beforeAll(async () => {
  h = await startRollbackHarness(TENANT);
  // Baselines a person set, then the agents' allowed writes.
  await h.change({ objectId: "1", property: "jobtitle", value: "CTO", at: "08:00:00", sourceId: REP });
  await h.change({
    objectId: "1",
    property: "jobtitle",
    value: "Chief Technology Officer",
    at: "09:00:00",
    sourceId: AGENT_APP,
  });
  await h.change({ objectId: "2", property: "industry", value: "Retail", at: "08:00:00", sourceId: REP });
  await h.change({ objectId: "2", property: "industry", value: "E-commerce", at: "09:10:00", sourceId: AGENT_APP });
  await h.change({ objectId: "2", property: "industry", value: "Online retail", at: "09:20:00", sourceId: AGENT_APP });
  await h.change({ objectId: "3", property: "city", value: "Leeds", at: "08:00:00", sourceId: REP });
  await h.change({ objectId: "3", property: "city", value: "London", at: "10:00:00", sourceId: AGENT_APP });
  await h.change({ objectId: "4", property: "jobtitle", value: "Engineer", at: "08:00:00", sourceId: REP });
  await h.change({
    objectId: "4",
    property: "jobtitle",
    value: "Staff Engineer",
    at: "09:30:00",
    sourceId: OTHER_AGENT_APP,
  });
  // A disallowed write (reverted by enforcement) is never an agent change to roll back.
  await h.change({ objectId: "5", property: "lifecyclestage", value: "lead", at: "08:00:00", sourceId: REP });
  await h.change({ objectId: "5", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: AGENT_APP });
}, 60_000);
afterAll(async () => h?.close());

describe("rollback: planning", () => {
  it("refuses a request naming nothing, a bad date or a bad last N, and changes nothing", async () => {
    await expect(h.rollback.plan(TENANT, {}, OWNER)).rejects.toBeInstanceOf(ValidationError);
    await expect(h.rollback.plan(TENANT, { from: "yesterday" }, OWNER)).rejects.toThrow(/from/);
    await expect(h.rollback.plan(TENANT, { last: 0 }, OWNER)).rejects.toThrow(/last/);
    await expect(h.rollback.plan(TENANT, { last: 10_001 }, OWNER)).rejects.toThrow(/last/);
    await expect(
      h.rollback.plan(TENANT, { from: "2026-03-02T10:00:00Z", to: "2026-03-02T09:00:00Z" }, OWNER),
    ).rejects.toThrow(/before/);
    expect(await rollbackRows()).toEqual([]);
  });

  it("a dry run lists what it would restore and changes nothing", async () => {
    const auditBefore = (await h.audit.query({ tenantId: TENANT, limit: 1000 })).events.length;
    const plan = await h.rollback.plan(TENANT, { agentId: "enrichment-bot", dryRun: true }, OWNER);
    expect(plan.jobId).toBeNull();
    const byObject = Object.fromEntries(plan.planned.map((p) => [`${p.objectId}.${p.field}`, p.restoreTo]));
    // Record 2 was changed twice: the value before the EARLIEST change comes back.
    expect(byObject).toEqual({ "1.jobtitle": "CTO", "2.industry": "Retail", "3.city": "Leeds" });
    expect(plan.planned.find((p) => p.objectId === "2")!.undoes).toHaveLength(2);
    expect(plan.conflicts).toEqual([]);
    expect(await rollbackRows()).toEqual([]);
    expect((await h.audit.query({ tenantId: TENANT, limit: 1000 })).events.length).toBe(auditBefore);
    expect((await h.t.db.query("SELECT 1 FROM rollback_jobs")).rowCount).toBe(0);
  });

  it("selects by agent and time range, and by last N", async () => {
    const range = await h.rollback.plan(
      TENANT,
      { agentId: "enrichment-bot", from: "2026-03-02T09:15:00Z", to: "2026-03-02T11:00:00Z", dryRun: true },
      OWNER,
    );
    // Only the second industry change is in range: restore the value the first one set.
    expect(range.planned.map((p) => [p.objectId, p.restoreTo])).toEqual(
      expect.arrayContaining([
        ["2", "E-commerce"],
        ["3", "Leeds"],
      ]),
    );
    expect(range.planned).toHaveLength(2);
    const last = await h.rollback.plan(TENANT, { last: 2, dryRun: true }, OWNER);
    // The two newest agent changes of any agent: city on 3 (10:00) and jobtitle on 4 (09:30).
    expect(last.planned.map((p) => `${p.objectId}.${p.field}`).sort()).toEqual(["3.city", "4.jobtitle"]);
    expect(last.planned.find((p) => p.objectId === "4")!.restoreTo).toBe("Engineer");
  });
});

describe("rollback: execution", () => {
  it("rolls back by event id through the write queue, audits each restore with caused_by, and the job reaches done", async () => {
    const write = await agentWriteEvent("1", "jobtitle");
    const plan = await h.rollback.plan(TENANT, { eventIds: [write.event_id] }, REVOPS);
    expect(plan.planned).toEqual([
      {
        eventId: write.event_id,
        objectType: "contacts",
        objectId: "1",
        field: "jobtitle",
        restoreTo: "CTO",
        undoes: [write.event_id],
      },
    ]);
    const job = await waitForJob(plan.jobId!);
    expect(job).toMatchObject({ state: "done", done: 1, total: 1, written: 1, failed: 0, conflicts: [] });
    expect(h.crm.get("contacts", "1")?.jobtitle).toBe("CTO");

    const [row] = await rollbackRows("1");
    expect(row).toMatchObject({
      purpose: "rollback",
      status: "done",
      agent_id: null,
      properties: { jobtitle: "CTO" },
      expected: { jobtitle: "Chief Technology Officer" },
    });
    const { events } = await h.audit.query({ tenantId: TENANT, runId: plan.jobId!, limit: 10 });
    const restore = events.find((e) => e.action === "rollback")!;
    expect(restore).toMatchObject({
      caused_by: write.event_id,
      run_id: plan.jobId,
      actor: { id: "rita" },
      field_diffs: [{ field: "jobtitle", before: "Chief Technology Officer", after: "CTO" }],
    });
    expect(row!.caused_by).toBe(restore.event_id);
    expect(events.some((e) => e.action === "rollback_job")).toBe(true);
    // The write's own outcome is audited as caused by the rollback intent.
    const outcome = (await h.audit.query({ tenantId: TENANT, objectId: "1", limit: 50 })).events.find(
      (e) => e.action === "crm_write" && e.caused_by === restore.event_id,
    );
    expect(outcome?.result).toBe("ok");
  });

  it("never selects a change a rollback already undid", async () => {
    const again = await h.rollback.plan(TENANT, { agentId: "enrichment-bot", dryRun: true }, OWNER);
    expect(again.planned.map((p) => p.objectId)).not.toContain("1");
  });

  it("skips and reports a field a person changed after the agent; an owner's force overrides", async () => {
    await h.change({ objectId: "3", property: "city", value: "Manchester", at: "10:30:00", sourceId: REP });
    const plan = await h.rollback.plan(TENANT, { agentId: "enrichment-bot", from: "2026-03-02T10:00:00Z" }, REVOPS);
    expect(plan.planned).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        eventId: (await agentWriteEvent("3", "city")).event_id,
        objectType: "contacts",
        objectId: "3",
        field: "city",
        current: "Manchester",
        expected: "London",
        changedBy: "hubspot:user:42",
      },
    ]);
    const job = await waitForJob(plan.jobId!);
    expect(job).toMatchObject({ state: "done", total: 0, done: 0 });
    expect(job.conflicts).toHaveLength(1);
    expect(await rollbackRows("3")).toEqual([]);

    const forced = await h.rollback.plan(
      TENANT,
      { agentId: "enrichment-bot", from: "2026-03-02T10:00:00Z", force: true },
      OWNER,
    );
    expect(forced.planned).toMatchObject([{ objectId: "3", restoreTo: "Leeds", forced: true }]);
    await waitForJob(forced.jobId!);
    expect(h.crm.get("contacts", "3")?.city).toBe("Leeds");
    const [row] = await rollbackRows("3");
    expect(row).toMatchObject({ status: "done", expected: null });
  });

  it("the write queue still refuses to overwrite a person who edits between planning and sending", async () => {
    h.holdRollbacks.on = true;
    const plan = await h.rollback.plan(TENANT, { agentId: "prospecting-bot" }, OWNER);
    expect(plan.planned).toMatchObject([{ objectId: "4", restoreTo: "Engineer" }]);
    expect((await h.rollback.getJob(TENANT, plan.jobId!))?.state).toBe("queued");
    await h.change({ objectId: "4", property: "jobtitle", value: "Principal Engineer", at: "11:00:00", sourceId: REP });
    h.holdRollbacks.on = false;
    await h.writes.kick([TENANT]);
    const job = await waitForJob(plan.jobId!);
    expect(job).toMatchObject({ state: "done", done: 1, total: 1, written: 0 });
    expect(job.conflicts).toEqual([
      expect.objectContaining({
        objectId: "4",
        field: "jobtitle",
        expected: "Staff Engineer",
        reason: expect.stringMatching(/conflict/),
      }),
    ]);
    expect(h.crm.get("contacts", "4")?.jobtitle).toBe("Principal Engineer");
    // A skipped restore did not undo the change: it can be selected again.
    const again = await h.rollback.plan(TENANT, { agentId: "prospecting-bot", dryRun: true }, OWNER);
    expect(again.conflicts.map((c) => c.objectId)).toEqual(["4"]);
  });

  it("rolls back a run's changes by run id", async () => {
    // An agent run through the action API carries a run id on its audit events.
    const [e] = await h.audit.appendMany([
      {
        tenant_id: TENANT,
        occurred_at: "2026-03-02T11:30:00.000Z",
        actor: { type: "agent", id: "enrichment-bot", role: "enrichment", via: "api_key:enrichment-bot" },
        action: "field_write",
        crm: "hubspot",
        object_type: "contacts",
        object_id: "6",
        field_diffs: [{ field: "jobtitle", before: "Analyst", after: "Senior Analyst" }],
        decision: { outcome: "allow", tier: 2, rule_id: "r", policy_version: "v" },
        run_id: "run-42",
      },
    ]);
    await h.snapshots.record([
      {
        tenantId: TENANT,
        crm: "hubspot",
        objectType: "contacts",
        objectId: "6",
        property: "jobtitle",
        value: "Analyst",
        occurredAt: new Date("2026-03-02T07:00:00Z"),
        actorType: "human",
        actorId: "rep",
        trusted: true,
        eventKey: "b6",
      },
      {
        tenantId: TENANT,
        crm: "hubspot",
        objectType: "contacts",
        objectId: "6",
        property: "jobtitle",
        value: "Senior Analyst",
        occurredAt: new Date("2026-03-02T11:30:00Z"),
        actorType: "agent",
        actorId: "enrichment-bot",
        trusted: true,
        eventKey: "a6",
      },
    ]);
    h.crm.set("contacts", "6", { jobtitle: "Senior Analyst" });
    const plan = await h.rollback.plan(TENANT, { runId: "run-42" }, OWNER);
    expect(plan.planned).toEqual([
      {
        eventId: e!.event_id,
        objectType: "contacts",
        objectId: "6",
        field: "jobtitle",
        restoreTo: "Analyst",
        undoes: [e!.event_id],
      },
    ]);
    await waitForJob(plan.jobId!);
    expect(h.crm.get("contacts", "6")?.jobtitle).toBe("Analyst");
  });

  it("rolls back a proposal Tollgate applied to the value it was planned against", async () => {
    h.crm.set("contacts", "7", {
      email: "old@acme.example",
      ai_sdr_confidence_score: "0.95",
      ai_sdr_source: "apollo",
      ai_sdr_change_reason: "verified",
    });
    await h.change({
      objectId: "7",
      property: "ai_proposed_email",
      value: "new@acme.example",
      at: "11:40:00",
      sourceId: AGENT_APP,
    });
    expect(h.crm.get("contacts", "7")?.email).toBe("new@acme.example");
    const { events } = await h.audit.query({ tenantId: TENANT, objectId: "7", limit: 50 });
    const proposal = events.find((e) => e.action === "proposal")!;
    expect(proposal.decision?.outcome).toBe("allow");
    // The provenance id on the record (the proposal) and the apply's own crm_write event both name it.
    const applyEvent = events.find((e) => e.action === "crm_write" && e.caused_by === proposal.event_id)!;
    const plan = await h.rollback.plan(TENANT, { eventIds: [applyEvent.event_id] }, OWNER);
    expect(plan.planned).toEqual([
      {
        eventId: proposal.event_id,
        objectType: "contacts",
        objectId: "7",
        field: "email",
        restoreTo: "old@acme.example",
        undoes: [proposal.event_id],
      },
    ]);
    await waitForJob(plan.jobId!);
    expect(h.crm.get("contacts", "7")?.email).toBe("old@acme.example");
  });

  it("never touches a reverted write or a person's edit", async () => {
    const plan = await h.rollback.plan(TENANT, { from: "2026-03-02T00:00:00Z", dryRun: true }, OWNER);
    expect(plan.planned.some((p) => p.objectId === "5")).toBe(false);
    expect(plan.conflicts.some((p) => p.objectId === "5")).toBe(false);
  });

  it("keeps every tenant to itself", async () => {
    const other = await h.rollback.plan("someone-else", { from: "2026-03-02T00:00:00Z", dryRun: true }, OWNER);
    expect(other.planned).toEqual([]);
    expect(await h.rollback.getJob("someone-else", "nope")).toBeUndefined();
  });

  it("keeps the audit chain intact", async () => {
    expect((await h.audit.verify(TENANT)).ok).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import type { AuditEventInput } from "../../../shared/index.js";
import { createAuditLog } from "../../src/audit/index.js";
import { computeGovernanceMetrics, registerGovernanceMetrics } from "../../src/metrics/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const T = "gov-tenant";
const FROM = new Date("2026-03-01T00:00:00Z");
const TO = new Date("2026-03-02T00:00:00Z");
let t: TestDatabase;

const agent = (id: string) => ({ type: "agent" as const, id, role: "r", via: "x" });
const at = (hhmm: string, day = "2026-03-01") => `${day}T${hhmm}:00.000Z`;
function write(
  agentId: string,
  field: string,
  objectId: string,
  outcome: "allow" | "needs_approval" | "deny",
  tier: number,
  when = at("10:00"),
  action = "field_write",
): AuditEventInput {
  return {
    tenant_id: T,
    occurred_at: when,
    actor: agent(agentId),
    action,
    crm: "hubspot",
    object_type: "contacts",
    object_id: objectId,
    field_diffs: [{ field, after: "v" }],
    decision: { outcome, tier, rule_id: "r", policy_version: "v" },
  };
}
function send(evidence: unknown, objectId: string): AuditEventInput {
  return {
    tenant_id: T,
    occurred_at: at("11:00"),
    actor: agent("outreach-bot"),
    action: "send_email",
    crm: "hubspot",
    object_type: "contacts",
    object_id: objectId,
    evidence,
    decision: { outcome: "allow", tier: 3, rule_id: "r", policy_version: "v" },
  };
}

async function approval(
  id: string,
  status: string,
  createdAt: string,
  updatedAt: string,
  field = "phone",
  rejectedBy: string | null = null,
) {
  await t.db.query(
    `INSERT INTO approvals (id, tenant_id, crm, object_type, object_id, field, status, rejected_by, expires_at, created_at, updated_at)
     VALUES ($1, $2, 'hubspot', 'contacts', '9', $3, $4, $5, $6, $6, $7)`,
    [id, T, field, status, rejectedBy, createdAt, updatedAt],
  );
}

beforeAll(async () => {
  t = await createTestDatabase();
  const audit = await createAuditLog(t.db);
  await audit.appendMany([
    write("enrichment-bot", "jobtitle", "1", "allow", 2),
    write("enrichment-bot", "jobtitle", "2", "allow", 2),
    write("enrichment-bot", "jobtitle", "3", "allow", 2),
    write("enrichment-bot", "industry", "1", "allow", 2),
    write("enrichment-bot", "industry", "2", "allow", 2),
    write("enrichment-bot", "city", "3", "allow", 2),
    write("enrichment-bot", "email", "4", "allow", 3, at("10:00"), "proposal"),
    write("enrichment-bot", "email", "5", "needs_approval", 3),
    write("enrichment-bot", "email", "6", "needs_approval", 3),
    write("routing-bot", "email", "7", "deny", 3),
    write("enrichment-bot", "lifecyclestage", "8", "deny", 1),
    send({ request: { to: "a@acme.com" } }, "1"),
    send({ request: { to: "b@acme.com" } }, "2"),
    send({ request: { to: "c@ACME.com" } }, "3"),
    send({ payload: { to: "d@globex.com" } }, "4"),
    {
      tenant_id: T,
      occurred_at: at("12:00"),
      actor: { type: "human", id: "rep" },
      action: "field_write",
      decision: { outcome: "observed" },
    },
    write("enrichment-bot", "jobtitle", "1", "allow", 2, at("05:00", "2026-03-02")),
    // People deciding approvals.
    {
      tenant_id: T,
      occurred_at: at("09:00"),
      actor: { type: "human", id: "rita" },
      action: "approve",
      approval: { id: "ap1" },
    },
    {
      tenant_id: T,
      occurred_at: at("11:00"),
      actor: { type: "human", id: "rita" },
      action: "reject",
      approval: { id: "ap2" },
    },
  ]);
  await audit.appendMany([{ ...write("enrichment-bot", "jobtitle", "1", "allow", 2), tenant_id: "gov-other" }]);

  await approval("ap1", "applied", at("08:00"), at("09:05"));
  await approval("ap2", "rejected", at("08:00"), at("11:00"), "phone", "rita");
  await approval("ap3", "rejected", at("08:00"), at("08:30"), "phone", "tollgate"); // superseded
  await approval("ap4", "expired", at("08:00"), at("23:00"));
  await approval("ap5", "pending", at("08:00"), at("08:00"));
  await approval("ap6", "applied", at("08:00"), at("13:00"), "mobilephone"); // decided with no audit event: its update time
  await approval("ap0", "applied", at("08:00", "2026-02-27"), at("09:00", "2026-02-27")); // before the range

  const ex = (id: string, state: string, created: string, reviewDue: string, remediateDue: string) =>
    t.db.query(
      `INSERT INTO exceptions (id, tenant_id, kind, summary, state, review_due_at, remediate_due_at, created_at) VALUES ($1, $2, 'disallowed_write', 's', $3, $5, $6, $4)`,
      [id, T, state, created, reviewDue, remediateDue],
    );
  await ex("e1", "open", at("01:00"), at("20:00"), at("23:00", "2026-03-03"));
  await ex("e2", "open", at("02:00"), at("02:00", "2026-03-02"), at("02:00", "2026-03-04"));
  await ex("e3", "closed", at("03:00"), at("03:00"), at("03:00"));
  await ex("e0", "reviewing", at("01:00", "2026-02-27"), at("01:00", "2026-02-28"), at("12:00"));

  const cw = (id: string, purpose: string, status: string, created: string) =>
    t.db.query(
      `INSERT INTO crm_writes (id, tenant_id, crm, object_type, object_id, properties, purpose, caused_by, status, created_at) VALUES ($1, $2, 'hubspot', 'contacts', '1', '{"a":"b"}', $3, 'x', $4, $5)`,
      [id, T, purpose, status, created],
    );
  await cw("w1", "revert", "done", at("10:00"));
  await cw("w2", "revert", "done", at("10:00"));
  await cw("w3", "revert", "skipped", at("10:00"));
  await cw("w4", "rollback", "done", at("10:00"));
  await cw("w5", "revert", "done", at("10:00", "2026-02-27"));
}, 60_000);
afterAll(async () => t?.drop());

describe("governance metrics", () => {
  it("computes each figure from the seeded audit events, approvals, exceptions and writes", async () => {
    const m = await computeGovernanceMetrics(t.db, T, { from: FROM, to: TO }, TO);
    expect(m.agentActions).toBe(15);
    expect(m.acceptance).toEqual({ applied: 2, rejected: 1, expired: 1, pending: 1, rate: 0.5 });
    expect(m.exceptions).toEqual({ opened: 3, per100Actions: 20, unresolved: 3, overdue: 2 });
    expect(m.reverts).toEqual({ planned: 3, done: 2, conflicts: 1, failed: 0 });
    expect(m.rollbacks).toEqual({ planned: 1, done: 1, conflicts: 0, failed: 0 });
    expect(m.topChangedFields).toEqual([
      { objectType: "contacts", field: "jobtitle", changes: 3 },
      { objectType: "contacts", field: "industry", changes: 2 },
      { objectType: "contacts", field: "city", changes: 1 },
      { objectType: "contacts", field: "email", changes: 1 },
      { objectType: "contacts", field: "mobilephone", changes: 1 },
      { objectType: "contacts", field: "phone", changes: 1 },
    ]);
    expect(m.approvalBypassAttempts).toEqual({
      total: 3,
      byAgent: [
        { agentId: "enrichment-bot", attempts: 2 },
        { agentId: "routing-bot", attempts: 1 },
      ],
    });
    // 1 h (ap1), 3 h (ap2), 5 h (ap6, by its update time): median 3 h, p90 interpolated.
    expect(m.timeToReview).toEqual({ decided: 3, medianSeconds: 10_800, p90Seconds: 16_560 });
    expect(m.concentration).toEqual({
      by: "domain",
      total: 4,
      top: [
        { key: "acme.com", count: 3, share: 0.75 },
        { key: "globex.com", count: 1, share: 0.25 },
      ],
      hhi: 0.625,
    });
  });

  it("falls back to concentration per record, and answers empty ranges without dividing by zero", async () => {
    const later = await computeGovernanceMetrics(t.db, T, { from: TO, to: new Date("2026-03-03T00:00:00Z") }, TO);
    expect(later.agentActions).toBe(1);
    expect(later.concentration).toEqual({
      by: "object",
      total: 1,
      top: [{ key: "contacts/1", count: 1, share: 1 }],
      hhi: 1,
    });
    const empty = await computeGovernanceMetrics(t.db, "nobody", { from: FROM, to: TO }, TO);
    expect(empty).toMatchObject({
      agentActions: 0,
      acceptance: { rate: null },
      exceptions: { per100Actions: null },
      timeToReview: { decided: 0, medianSeconds: null },
      concentration: { total: 0, hhi: null, top: [] },
    });
  });

  it("exposes the figures as gauges on the registry, computed on scrape", async () => {
    const registry = new Registry();
    registerGovernanceMetrics(registry, { db: t.db, now: () => TO, windowMs: 24 * 3600_000 });
    const text = await registry.metrics();
    expect(text).toContain('tollgate_governance_agent_actions{tenant="gov-tenant"} 15');
    expect(text).toContain('tollgate_governance_acceptance_ratio{tenant="gov-tenant"} 0.5');
    expect(text).toContain('tollgate_governance_exceptions_per_100_actions{tenant="gov-tenant"} 20');
    expect(text).toContain('tollgate_governance_time_to_review_seconds{tenant="gov-tenant",quantile="0.9"} 16560');
    expect(text).toContain('tollgate_governance_agent_actions{tenant="gov-other"} 1');
  });
});

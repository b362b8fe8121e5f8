import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEventInput, PolicyQa } from "../../../shared/index.js";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import { ConflictError, NotFoundError, ValidationError } from "../../src/errors/index.js";
import { createQaSampler, withQaSampling, type QaSampler } from "../../src/qa/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const TENANT = "qa-tenant";
const REVIEWER = { type: "human" as const, id: "quinn", role: "revops_admin", via: "api_key" };
let t: TestDatabase;
let audit: AuditLog;
let policy: PolicyQa;
let randoms: number[];
let clock: Date;
let qa: QaSampler;

function agentEvent(
  over: Partial<AuditEventInput> & { tier?: number; outcome?: "allow" | "needs_approval" | "deny" } = {},
): AuditEventInput {
  const { tier = 2, outcome = "allow", ...rest } = over;
  return {
    tenant_id: TENANT,
    actor: { type: "agent", id: "enrichment-bot", role: "enrichment", via: "hubspot:app:1000002" },
    action: "field_write",
    crm: "hubspot",
    object_type: "contacts",
    object_id: String(Math.floor(Math.random() * 1e6)),
    field_diffs: [{ field: "jobtitle", before: null, after: "CTO" }],
    decision: { outcome, tier, rule_id: "r", policy_version: "v" },
    source_signal: "hubspot:webhook",
    ...rest,
  };
}

async function append(inputs: AuditEventInput[]) {
  return audit.appendMany(inputs);
}

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db);
  policy = { sample_rate: 0.2 };
  randoms = [];
  clock = new Date("2026-03-02T10:00:00Z");
  qa = createQaSampler({
    db: t.db,
    audit,
    policyFor: () => policy,
    random: () => randoms.shift() ?? 0.99,
    now: () => clock,
  });
});
afterAll(async () => t?.drop());

describe("QA sampling over audit events", () => {
  it("samples safe actions below the rate, skips above it, and ignores people, observations and Tollgate's writes", async () => {
    randoms = [0.1, 0.5];
    const events = await append([agentEvent(), agentEvent()]);
    const human = await append([
      {
        tenant_id: TENANT,
        actor: { type: "human", id: "rep" },
        action: "field_write",
        decision: { outcome: "observed" },
      },
    ]);
    const system = await append([
      { tenant_id: TENANT, actor: { type: "system", id: "tollgate" }, action: "crm_write" },
    ]);
    const items = await qa.recordDecisionForQa([...events, ...human, ...system]);
    expect(items.map((i) => i.eventId)).toEqual([events[0]!.event_id]);
    expect(items[0]).toMatchObject({
      reason: "base",
      rate: 0.2,
      state: "pending",
      agentId: "enrichment-bot",
      tier: 2,
      outcome: "allow",
    });
    // Each agent event drew one random number; the others drew none.
    expect(randoms).toEqual([]);
  });

  it("samples every restricted action whatever the random value", async () => {
    randoms = [0.999, 0.999, 0.999];
    const events = await append([
      agentEvent({ tier: 3, action: "proposal" }),
      agentEvent({ outcome: "needs_approval" }),
      agentEvent({ tier: 1, outcome: "deny" }),
    ]);
    const items = await qa.recordDecisionForQa(events);
    expect(items).toHaveLength(3);
    expect(items.every((i) => i.reason === "restricted" && i.rate === 1)).toBe(true);
  });

  it("oversamples a source while it is new, then samples it at the base rate", async () => {
    randoms = [0.4];
    const [first] = await append([agentEvent({ source_signal: "zoominfo" })]);
    expect((await qa.recordDecisionForQa([first!]))[0]).toMatchObject({ reason: "new_source", rate: 0.5 });
    clock = new Date("2026-03-20T10:00:00Z"); // past the default 14 days
    randoms = [0.4];
    const [later] = await append([agentEvent({ source_signal: "zoominfo" })]);
    expect(await qa.recordDecisionForQa([later!])).toEqual([]);
  });

  it("oversamples regulated industries and large accounts from the event's evidence or values", async () => {
    policy = { sample_rate: 0.2, regulated_industries: ["Banking"], large_account_employees: 500 };
    randoms = [0.9, 0.4, 0.4];
    const events = await append([
      agentEvent({ field_diffs: [{ field: "industry", before: null, after: "banking" }] }),
      agentEvent({ evidence: { employees: 2000 } }),
      agentEvent({ evidence: { employees: 20 } }),
    ]);
    const items = await qa.recordDecisionForQa(events);
    expect(items.map((i) => i.reason)).toEqual(["regulated_industry", "large_account"]);
    policy = { sample_rate: 0.2 };
  });

  it("samples an event once, even when it is offered twice", async () => {
    randoms = [0.0, 0.0];
    const [e] = await append([agentEvent()]);
    expect(await qa.recordDecisionForQa([e!])).toHaveLength(1);
    expect(await qa.recordDecisionForQa([e!])).toHaveLength(0);
  });

  it("withQaSampling samples inside the caller's transaction and rolls back with it", async () => {
    const sampled = withQaSampling(audit, qa);
    randoms = [0.0];
    const objectId = "rolled-back";
    await expect(
      t.db.transaction(async (tx) => {
        await sampled.appendMany([agentEvent({ object_id: objectId })], { tx });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await qa.list(TENANT)).some((i) => i.objectId === objectId)).toBe(false);
    randoms = [0.0];
    await t.db.transaction((tx) => sampled.appendMany([agentEvent({ object_id: "kept" })], { tx }));
    expect((await qa.list(TENANT)).some((i) => i.objectId === "kept")).toBe(true);
  });
});

describe("QA review", () => {
  it("records the verdict and scorecard, audited with caused_by the reviewed event", async () => {
    const [item] = await qa.list(TENANT, { state: "pending", limit: 1 });
    const reviewed = await qa.review(
      TENANT,
      item!.id,
      {
        verdict: "fail",
        scorecard: { data_correctness: 2, persona: "pass", crm_hygiene: "n/a" },
        notes: "wrong title",
      },
      REVIEWER,
    );
    expect(reviewed).toMatchObject({
      state: "reviewed",
      verdict: "fail",
      reviewer: "quinn",
      notes: "wrong title",
      scorecard: { data_correctness: 2, persona: "pass", crm_hygiene: "n/a" },
    });
    const { events } = await audit.query({ tenantId: TENANT, limit: 5 });
    const review = events.find((e) => e.event_id === reviewed.reviewEventId)!;
    expect(review).toMatchObject({
      action: "qa_review",
      caused_by: item!.eventId,
      actor: { id: "quinn" },
      risk_flags: ["qa_failed"],
      evidence: { verdict: "fail", qaItemId: item!.id },
    });
    expect((await qa.list(TENANT, { state: "reviewed" })).map((i) => i.id)).toContain(item!.id);
  });

  it("refuses a second review, an unknown item, another tenant's item and a bad scorecard", async () => {
    const [done] = await qa.list(TENANT, { state: "reviewed", limit: 1 });
    await expect(
      qa.review(TENANT, done!.id, { verdict: "pass", scorecard: { persona: 5 } }, REVIEWER),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      qa.review(TENANT, "nope", { verdict: "pass", scorecard: { persona: 5 } }, REVIEWER),
    ).rejects.toBeInstanceOf(NotFoundError);
    const [pending] = await qa.list(TENANT, { state: "pending", limit: 1 });
    await expect(
      qa.review("other", pending!.id, { verdict: "pass", scorecard: { persona: 5 } }, REVIEWER),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      qa.review(TENANT, pending!.id, { verdict: "pass", scorecard: { persona: 6 } }, REVIEWER),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(qa.review(TENANT, pending!.id, { verdict: "pass", scorecard: {} }, REVIEWER)).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await qa.get(TENANT, pending!.id))?.state).toBe("pending");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import { ConflictError, NotFoundError, ValidationError } from "../../src/errors/index.js";
import {
  createExceptionQueue,
  createExceptionStore,
  slaStatus,
  type ExceptionQueue,
} from "../../src/exceptions/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const TENANT = "ex-tenant";
const REVOPS = { type: "human" as const, id: "rita", role: "revops_admin", via: "api_key" };
const HOUR = 3600_000;
let t: TestDatabase;
let audit: AuditLog;
let clock: Date;
let queue: ExceptionQueue;
const start = new Date("2026-03-02T10:00:00Z");

async function openOne(summary: string, at: Date): Promise<string> {
  clock = at;
  await t.db.transaction((tx) =>
    createExceptionStore(t.db, { now: () => clock }).open(
      [
        {
          tenantId: TENANT,
          kind: "disallowed_write",
          ruleId: "r",
          agentId: "enrichment-bot",
          crm: "hubspot",
          objectType: "contacts",
          objectId: "1",
          field: "lifecyclestage",
          eventId: `ev-${summary}`,
          summary,
        },
      ],
      { tx },
    ),
  );
  const { rows } = await t.db.query<{ id: string }>("SELECT id FROM exceptions WHERE summary = $1", [summary]);
  return rows[0]!.id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db);
  clock = start;
  queue = createExceptionQueue({ db: t.db, audit, now: () => clock });
});
afterAll(async () => t?.drop());

describe("SLA timers", () => {
  it("flags review late after 24 h while open, remediation late after 72 h until remediated", () => {
    const review = new Date(start.getTime() + 24 * HOUR);
    const remediate = new Date(start.getTime() + 72 * HOUR);
    const at = (h: number) => new Date(start.getTime() + h * HOUR);
    expect(slaStatus("open", review, remediate, at(23))).toEqual({
      reviewOverdue: false,
      remediateOverdue: false,
      overdue: false,
    });
    expect(slaStatus("open", review, remediate, at(25))).toEqual({
      reviewOverdue: true,
      remediateOverdue: false,
      overdue: true,
    });
    expect(slaStatus("reviewing", review, remediate, at(25)).overdue).toBe(false);
    expect(slaStatus("reviewing", review, remediate, at(73))).toEqual({
      reviewOverdue: false,
      remediateOverdue: true,
      overdue: true,
    });
    expect(slaStatus("remediated", review, remediate, at(100)).overdue).toBe(false);
  });
});

describe("exception queue", () => {
  it("lists with due dates and filters by overdue against the injected clock", async () => {
    const old = await openOne("old", start);
    const fresh = await openOne("fresh", new Date(start.getTime() + 20 * HOUR));
    clock = new Date(start.getTime() + 30 * HOUR);
    const all = await queue.list(TENANT);
    const byId = new Map(all.map((x) => [x.id, x]));
    expect(byId.get(old)).toMatchObject({
      state: "open",
      overdue: true,
      reviewOverdue: true,
      reviewDueAt: "2026-03-03T10:00:00.000Z",
      remediateDueAt: "2026-03-05T10:00:00.000Z",
    });
    expect(byId.get(fresh)).toMatchObject({ overdue: false });
    expect((await queue.list(TENANT, { overdue: true })).map((x) => x.id)).toEqual([old]);
    expect((await queue.list(TENANT, { overdue: false })).map((x) => x.id)).toEqual([fresh]);
    expect(await queue.list("other-tenant")).toEqual([]);
  });

  it("assigns an owner and moves open → reviewing → remediated → closed, auditing each step", async () => {
    const id = await openOne("walk", start);
    const assigned = await queue.assign(TENANT, id, "owen", REVOPS);
    expect(assigned.owner).toBe("owen");
    expect((await queue.list(TENANT, { owner: "owen" })).map((x) => x.id)).toEqual([id]);
    clock = new Date(start.getTime() + 30 * HOUR);
    expect(await queue.transition(TENANT, id, { state: "reviewing", note: "looking" }, REVOPS)).toMatchObject({
      state: "reviewing",
      overdue: false,
      owner: "owen",
    });
    expect((await queue.transition(TENANT, id, { state: "remediated", note: "value restored" }, REVOPS)).state).toBe(
      "remediated",
    );
    const closed = await queue.transition(TENANT, id, { state: "closed" }, REVOPS);
    expect(closed.state).toBe("closed");
    expect(closed.notes.map((n) => [n.from, n.to, n.note])).toEqual([
      [null, null, null],
      ["open", "reviewing", "looking"],
      ["reviewing", "remediated", "value restored"],
      ["remediated", "closed", null],
    ]);
    const { events } = await audit.query({ tenantId: TENANT, limit: 10 });
    const steps = events.filter((e) => (e.evidence as { exceptionId?: string })?.exceptionId === id).reverse();
    expect(steps.map((e) => [e.action, (e.evidence as { to: string }).to])).toEqual([
      ["exception_assign", "open"],
      ["exception_transition", "reviewing"],
      ["exception_transition", "remediated"],
      ["exception_transition", "closed"],
    ]);
    expect(steps.every((e) => e.caused_by === "ev-walk" && e.actor.id === "rita")).toBe(true);
    expect(steps[2]!.reason).toBe("value restored");
  });

  it("refuses a jump, a move out of closed, an unknown state or id, and another tenant's exception", async () => {
    const id = await openOne("jump", start);
    await expect(queue.transition(TENANT, id, { state: "closed" }, REVOPS)).rejects.toBeInstanceOf(ConflictError);
    await expect(queue.transition(TENANT, id, { state: "remediated" }, REVOPS)).rejects.toBeInstanceOf(ConflictError);
    await expect(queue.transition(TENANT, id, { state: "done" as never }, REVOPS)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(queue.transition(TENANT, "nope", { state: "reviewing" }, REVOPS)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(queue.transition("other-tenant", id, { state: "reviewing" }, REVOPS)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await queue.get(TENANT, id))?.state).toBe("open");
    // Starting a review of an unowned exception makes the reviewer its owner.
    expect((await queue.transition(TENANT, id, { state: "reviewing" }, REVOPS)).owner).toBe("rita");
    await queue.transition(TENANT, id, { state: "closed", note: "false alarm" }, REVOPS);
    await expect(queue.transition(TENANT, id, { state: "reviewing" }, REVOPS)).rejects.toBeInstanceOf(ConflictError);
    await expect(queue.assign(TENANT, id, "owen", REVOPS)).rejects.toBeInstanceOf(ConflictError);
  });
});

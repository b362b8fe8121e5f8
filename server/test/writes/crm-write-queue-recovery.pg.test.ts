import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CrmError } from "../../src/crm/index.js";
import { ValidationError } from "../../src/errors/index.js";
import type { PlannedWrite } from "../../src/writes/index.js";
import { recordFlushResult } from "../../src/writes/record-flush-result.js";
import { InMemoryCrm } from "./in-memory-crm.js";
import { createWriteQueueHarness, newTenantId, waitFor, type WriteQueueHarness } from "./write-queue-harness.js";

// Guards, cancels, per-tenant limits, crash recovery and transactional intent, against an in-memory CRM behind the
// real CrmConnector interface; Redis, PostgreSQL and the audit log are real.
let h: WriteQueueHarness;
beforeAll(async () => {
  h = await createWriteQueueHarness("writes-recovery");
});
afterEach(async () => {
  await h.closeAll();
});
afterAll(async () => {
  await h?.teardown();
});

async function intent(tenantId: string): Promise<string> {
  const [event] = await h.audit.appendMany([
    { tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "revert_intent", crm: "hubspot" },
  ]);
  return event!.event_id;
}

function write(
  tenantId: string,
  causedBy: string,
  objectId: string,
  properties: Record<string, string>,
  extra: Partial<PlannedWrite> = {},
): PlannedWrite {
  return {
    tenantId,
    crm: "hubspot",
    objectType: "contacts",
    objectId,
    properties,
    purpose: "revert",
    causedBy,
    ...extra,
  };
}

describe("guard", () => {
  it("skips the rows it reports as conflicts, audits them, and sends the rest", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    crm.set("contacts", "1", { industry: "Fintech" });
    crm.set("contacts", "2", { industry: "Human edit" });
    // The guard a caller would write: the record must still hold `expected`.
    const queue = await h.open({
      connectorFor: async () => crm,
      guard: async (rows) => {
        const conflicts = new Map<string, string>();
        for (const row of rows) {
          const current = crm.get(row.objectType, row.objectId) ?? {};
          for (const [field, value] of Object.entries(row.expected ?? {})) {
            if ((current[field] ?? null) !== value)
              conflicts.set(row.id, `${field} changed since: now ${current[field]}`);
          }
        }
        return conflicts;
      },
    });
    await queue.start();
    const cause = await intent(tenantId);
    const [ok, conflicted] = await queue.enqueue([
      write(tenantId, cause, "1", { industry: "Retail" }, { expected: { industry: "Fintech" } }),
      write(tenantId, cause, "2", { industry: "Retail" }, { expected: { industry: "Fintech" } }),
    ]);
    await queue.drain(tenantId);

    expect(crm.calls).toHaveLength(1);
    expect(crm.calls[0]!.writes.map((w) => w.objectId)).toEqual(["1"]);
    expect(crm.get("contacts", "2")).toEqual({ industry: "Human edit" });
    const rows = await h.rows(tenantId);
    expect(rows.find((r) => r.id === ok)?.status).toBe("done");
    const skipped = rows.find((r) => r.id === conflicted)!;
    expect(skipped.status).toBe("skipped");
    expect(skipped.attempts).toBe(0);
    expect(skipped.lastError).toContain("industry changed since");
    const events = await h.writeEvents(tenantId);
    const skipEvent = events.find((e) => e.event_id === skipped.resultEventId)!;
    expect(skipEvent).toMatchObject({ result: "failed", object_id: "2", caused_by: cause, risk_flags: ["conflict"] });
    expect(skipEvent.error).toContain("industry changed since");
    expect(await queue.stats(tenantId)).toMatchObject({ done: 1, skipped: 1, pending: 0, in_flight: 0, failed: 0 });
  });
});

describe("cancel", () => {
  it("cancels the agent rows a switch covers, never sends them — not after the switch is off either — while protective writes go on", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    let killSwitchOn = true;
    const switchEvent = await intent(tenantId);
    const cancel = {
      active: () => killSwitchOn,
      causeOf: (row: { agentId: string | null }) =>
        killSwitchOn && row.agentId !== null
          ? { causedBy: switchEvent, reason: "kill switch agent:x by Rita: runaway" }
          : undefined,
    };
    const queue = await h.open({ connectorFor: async () => crm, cancel });
    await queue.start();
    const cause = await intent(tenantId);
    const [agentWrite, revert] = await queue.enqueue([
      write(tenantId, cause, "1", { jobtitle: "CTO" }, { purpose: "agent_action", agentId: "enrichment-bot" }),
      write(tenantId, cause, "2", { industry: "Retail" }),
    ]);
    await queue.drain(tenantId);

    expect(crm.calls.flatMap((c) => c.writes.map((w) => w.objectId))).toEqual(["2"]);
    const rows = await h.rows(tenantId);
    expect(rows.find((r) => r.id === agentWrite)).toMatchObject({ status: "cancelled", attempts: 0 });
    expect(rows.find((r) => r.id === revert)?.status).toBe("done");
    const events = await h.writeEvents(tenantId);
    const cancelEvent = events.find((e) => e.event_id === rows.find((r) => r.id === agentWrite)?.resultEventId);
    // Audited as caused by the switch (who and why), naming the decision it would have carried out.
    expect(cancelEvent).toMatchObject({
      caused_by: switchEvent,
      result: "failed",
      risk_flags: ["kill_switch_cancelled"],
      evidence: { plannedBy: cause, writeId: agentWrite },
    });
    expect(cancelEvent?.reason).toContain("kill switch agent:x by Rita: runaway");

    killSwitchOn = false;
    await queue.kick([tenantId]);
    await new Promise((r) => setTimeout(r, 300));
    await queue.drain(tenantId);
    expect(crm.calls).toHaveLength(1);
    expect(crm.get("contacts", "1")).toBeUndefined();
    expect(await queue.stats(tenantId)).toMatchObject({ done: 1, cancelled: 1, pending: 0, in_flight: 0 });
  });

  it("cancels a claimed row before it is sent when the switch lands between the claim and the call", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    let killSwitchOn = false;
    const switchEvent = await intent(tenantId);
    const queue = await h.open({
      connectorFor: async () => crm,
      // The guard runs after the claim and before the call: the switch lands right then.
      guard: async () => {
        killSwitchOn = true;
        return new Map();
      },
      cancel: {
        active: () => killSwitchOn,
        causeOf: (row) =>
          killSwitchOn && row.agentId !== null ? { causedBy: switchEvent, reason: "tenant switch" } : undefined,
      },
    });
    await queue.start();
    const cause = await intent(tenantId);
    const [agentWrite, revert] = await queue.enqueue([
      write(tenantId, cause, "1", { jobtitle: "CTO" }, { purpose: "apply", agentId: "enrichment-bot" }),
      write(tenantId, cause, "2", { industry: "Retail" }, { purpose: "rollback" }),
    ]);
    await queue.drain(tenantId);
    expect(crm.calls.flatMap((c) => c.writes.map((w) => w.objectId))).toEqual(["2"]);
    const rows = await h.rows(tenantId);
    expect(rows.find((r) => r.id === agentWrite)?.status).toBe("cancelled");
    expect(rows.find((r) => r.id === revert)?.status).toBe("done");
  });

  it("cancels an agent row that is backing off, without waiting for it to be due", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    let killSwitchOn = false;
    const switchEvent = await intent(tenantId);
    const queue = await h.open({
      connectorFor: async () => crm,
      cancel: {
        active: () => killSwitchOn,
        causeOf: (row) => (killSwitchOn && row.agentId !== null ? { causedBy: switchEvent, reason: "x" } : undefined),
      },
    });
    await queue.start();
    const cause = await intent(tenantId);
    const [agentWrite] = await queue.enqueue(
      [write(tenantId, cause, "1", { jobtitle: "CTO" }, { purpose: "agent_action", agentId: "enrichment-bot" })],
      {},
    );
    // A row backing off: not due for an hour.
    await h.db.query("UPDATE crm_writes SET not_before = now() + interval '1 hour' WHERE id = $1", [agentWrite]);
    killSwitchOn = true;
    await queue.kick([tenantId]);
    await queue.drain(tenantId, { timeoutMs: 5_000 });
    expect((await h.rows(tenantId))[0]?.status).toBe("cancelled");
    expect(crm.calls).toHaveLength(0);
  });
});

describe("per-tenant rate limiting", () => {
  it("spaces a tenant's CRM calls by its limiter", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    const queue = await h.open({
      connectorFor: async () => crm,
      batchSize: 10,
      limiter: { max: 2, durationMs: 1_000 },
    });
    await queue.start();
    const cause = await intent(tenantId);
    await queue.enqueue(
      Array.from({ length: 50 }, (_, i) => write(tenantId, cause, String(i + 1), { industry: "Retail" })),
    );
    await queue.drain(tenantId);
    // Five calls at two per window need three windows: the fifth lands in the third, more than one
    // window after the first (BullMQ's window starts at the first job, so the exact gap varies).
    expect(crm.calls).toHaveLength(5);
    expect(crm.calls[4]!.at - crm.calls[0]!.at).toBeGreaterThan(1_000);
  });

  it("pauses only the tenant the CRM rate-limited", async () => {
    const [slowTenant, fastTenant] = [newTenantId(), newTenantId()];
    const crms = new Map([slowTenant, fastTenant].map((t) => [t, new InMemoryCrm(t)]));
    crms.get(slowTenant)!.next(async () => {
      throw new CrmError("rate_limited", { status: 429, retryAfterMs: 1_500 });
    });
    const queue = await h.open({ connectorFor: async (t) => crms.get(t)! });
    await queue.start();
    const started = Date.now();
    await queue.enqueue([write(slowTenant, await intent(slowTenant), "1", { industry: "Retail" })]);
    await waitFor(() => crms.get(slowTenant)!.calls.length === 1, 5_000, "the rate-limited call");
    await queue.enqueue([write(fastTenant, await intent(fastTenant), "1", { industry: "Media" })]);
    await queue.drain(fastTenant);
    expect(Date.now() - started).toBeLessThan(1_400);
    expect((await queue.stats(slowTenant)).pending).toBe(1);
    await queue.drain(slowTenant);
    const slow = crms.get(slowTenant)!.calls;
    expect(slow).toHaveLength(2);
    expect(slow[1]!.at - slow[0]!.at).toBeGreaterThanOrEqual(1_450);
    expect((await h.rows(slowTenant))[0]).toMatchObject({ status: "done", attempts: 1 });
  });
});

describe("crash safety", () => {
  it("completes a write exactly once in effect after a crash between the CRM call and the marking", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId).applyThenHang();
    const first = await h.open({ connectorFor: async () => crm, lockDurationMs: 1_000 });
    await first.start();
    const cause = await intent(tenantId);
    const ids = await first.enqueue([
      write(tenantId, cause, "1", { industry: "Retail" }),
      write(tenantId, cause, "2", { industry: "Media" }),
    ]);
    await waitFor(() => crm.calls.length === 1, 10_000, "the first CRM call");
    expect((await h.rows(tenantId)).map((r) => r.status)).toEqual(["in_flight", "in_flight"]);
    // The process dies: its flush never finishes, its lock is never renewed.
    await first.close({ force: true });

    const second = await h.open({ connectorFor: async () => crm, lockDurationMs: 1_000 });
    await second.start();
    await second.drain(tenantId, { timeoutMs: 15_000 });

    // HubSpot has no conditional update, so the write is delivered at least once — here twice,
    // which is harmless: both calls set the same values.
    expect(crm.calls).toHaveLength(2);
    expect(crm.calls[1]!.writes).toEqual(crm.calls[0]!.writes);
    expect(crm.get("contacts", "1")).toEqual({ industry: "Retail" });
    const rows = await h.rows(tenantId);
    expect(rows.map((r) => [r.id, r.status])).toEqual(ids.map((id) => [id, "done"]));
    // ...but the outcome is audited exactly once per row.
    const events = await h.writeEvents(tenantId);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.event_id).sort()).toEqual(rows.map((r) => r.resultEventId).sort());
    expect(events.every((e) => e.caused_by === cause && e.result === "ok")).toBe(true);
  });

  it("audits a row's result once even when two flushes settle it", async () => {
    const tenantId = newTenantId();
    const queue = await h.open({ connectorFor: async () => new InMemoryCrm(tenantId) });
    const cause = await intent(tenantId);
    await queue.enqueue([write(tenantId, cause, "1", { industry: "Retail" })], { tx: h.db });
    // Two flushes that both sent the row (one lost its lock and ran late) both report it done.
    const [row] = await h.rows(tenantId);
    const outcome = { row: row!, status: "done" as const, error: null, sent: true };
    const first = await recordFlushResult(h.db, h.audit, { settled: [outcome], retry: [], release: [] });
    const second = await recordFlushResult(h.db, h.audit, { settled: [outcome], retry: [], release: [] });
    expect(first.map((r) => r.status)).toEqual(["done"]);
    expect(second).toEqual([]);
    const events = await h.writeEvents(tenantId);
    expect(events).toHaveLength(1);
    expect((await h.rows(tenantId))[0]).toMatchObject({
      status: "done",
      resultEventId: events[0]!.event_id,
      attempts: 1,
    });
  });
});

describe("intent in the caller's transaction", () => {
  it("leaves no write row when the caller's transaction rolls back", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    const queue = await h.open({ connectorFor: async () => crm });
    await queue.start();
    await expect(
      h.db.transaction(async (tx) => {
        const [event] = await h.audit.appendMany(
          [{ tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "revert_intent" }],
          { tx },
        );
        await queue.enqueue([write(tenantId, event!.event_id, "1", { industry: "Retail" })], { tx });
        throw new Error("the caller failed after planning the write");
      }),
    ).rejects.toThrow("the caller failed");
    await queue.kick([tenantId]);
    await queue.drain(tenantId);
    expect(await h.rows(tenantId)).toEqual([]);
    expect((await h.audit.query({ tenantId })).events).toEqual([]);
    expect(crm.calls).toHaveLength(0);
  });

  it("commits intent and write together, and sends only after the caller kicks", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    const queue = await h.open({ connectorFor: async () => crm });
    await queue.start();
    const { cause, ids } = await h.db.transaction(async (tx) => {
      const [event] = await h.audit.appendMany(
        [{ tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "revert_intent" }],
        { tx },
      );
      return {
        cause: event!.event_id,
        ids: await queue.enqueue([write(tenantId, event!.event_id, "1", { industry: "Retail" })], { tx }),
      };
    });
    expect((await h.rows(tenantId)).map((r) => r.status)).toEqual(["pending"]);
    await queue.kick([tenantId]);
    await queue.drain(tenantId);
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ id: ids[0], status: "done", causedBy: cause, attempts: 1 });
    const [event] = await h.writeEvents(tenantId);
    expect(event).toMatchObject({
      event_id: row!.resultEventId,
      caused_by: cause,
      actor: { type: "system", id: "tollgate" },
    });
    expect(event!.field_diffs).toEqual([{ field: "industry", before: null, after: "Retail" }]);
  });

  it("refuses invalid writes and inserts none of the batch", async () => {
    const tenantId = newTenantId();
    const queue = await h.open({ connectorFor: async () => new InMemoryCrm(tenantId) });
    const cause = await intent(tenantId);
    await expect(
      queue.enqueue([
        write(tenantId, cause, "1", { industry: "Retail" }),
        write(tenantId, cause, "2", {}),
        { ...write(tenantId, "", "3", { a: "b" }) },
      ]),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await h.rows(tenantId)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCounterKeys } from "../../src/policy/index.js";
import { compliantSend, startGateHarness, type GateHarness } from "./gate-harness.js";

/** `POST /v1/actions`: kill switches, caps under concurrency, bad input, idempotency, dry runs. */
describe("POST /v1/actions: switches, caps, input and idempotency", () => {
  let g: GateHarness;
  const human = { type: "human" as const, id: "rita", role: "revops_admin", via: "api_key" };

  beforeAll(async () => {
    g = await startGateHarness();
  }, 60_000);
  afterAll(async () => {
    await g?.close();
  });

  const rows = async (sql: string, params: unknown[] = []) =>
    (await g.h.tollgate.internals.db.query<Record<string, unknown>>(sql, params)).rows;

  it("refuses a switched-off agent's key with 403 before deciding anything", async () => {
    const before = await g.auditCount();
    await g.h.tollgate.services.killSwitches.set(
      g.tenantId,
      { scope: { type: "agent", value: "killme-bot" }, state: "on", reason: "drill 5" },
      human,
    );
    const res = await g.act("killme-bot", { action: "create_task", crm: "hubspot", object: "task" });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: "agent_killed",
      details: { agentId: "killme-bot", switch: "agent:killme-bot" },
    });
    // The switch's own audit event is the only new one: the request decided and recorded nothing.
    expect(await g.auditCount()).toBe(before + 1);
    await g.h.tollgate.services.killSwitches.set(
      g.tenantId,
      { scope: { type: "agent", value: "killme-bot" }, state: "off", reason: "drill over" },
      human,
    );
    expect(
      (await g.act("killme-bot", { action: "create_task", crm: "hubspot", object: "task" })).body.decision.outcome,
    ).toBe("allow");
  });

  it("answers `killed` for a channel switch (stop sends, keep research), audits it and opens an exception", async () => {
    await g.h.tollgate.services.killSwitches.set(
      g.tenantId,
      { scope: { type: "channel", value: "email" }, state: "on", reason: "bounce spike" },
      human,
    );
    try {
      const send = await g.act("outreach-bot", {
        action: "send_email",
        crm: "hubspot",
        object: "contact",
        payload: compliantSend("x@prospect.example.org"),
      });
      expect(send.status).toBe(200);
      expect(send.body.decision).toMatchObject({ outcome: "killed", ruleId: "kill_switch:channel:email" });
      expect(send.body.permit).toBeUndefined();
      expect(await rows("SELECT kind FROM exceptions WHERE event_id = $1", [send.body.eventId])).toEqual([
        { kind: "action_killed" },
      ]);
      // Tasks travel on the CRM channel: not stopped.
      expect(
        (await g.act("outreach-bot", { action: "create_task", crm: "hubspot", object: "task" })).body.decision.outcome,
      ).toBe("allow");
    } finally {
      await g.h.tollgate.services.killSwitches.set(
        g.tenantId,
        { scope: { type: "channel", value: "email" }, state: "off", reason: "resolved" },
        human,
      );
    }
  });

  it("never lets 40 parallel requests past a cap of 5", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        g.act("capped-bot", { action: "create_task", crm: "hubspot", object: "task", idempotencyKey: `cap-${i}` }),
      ),
    );
    const outcomes = results.map((r) => r.body.decision.outcome);
    expect(outcomes.filter((o) => o === "allow")).toHaveLength(5);
    // Refusals count toward the denial trigger, which may switch the agent off midway.
    expect(outcomes.every((o) => o === "allow" || o === "over_cap" || o === "killed")).toBe(true);
    expect(outcomes.filter((o) => o === "over_cap").length).toBeGreaterThan(0);
    const policy = g.h.tollgate.services.policies.current(g.tenantId).compiled;
    const keys = getCounterKeys(policy, {
      agentId: "capped-bot",
      object: "task",
      kind: "action",
      action: "create_task",
      at: new Date(),
    });
    expect(keys).toHaveLength(1);
    expect(await g.counters.snapshot(g.tenantId, keys, { timeZone: policy.timezone })).toEqual({ [keys[0]!.key]: 5 });
  });

  it("answers bad input with 400 naming the key, and writes nothing", async () => {
    const audit = await g.auditCount();
    const cases: [unknown, string][] = [
      [{ action: "launch_rockets", crm: "hubspot", object: "contact" }, "action"],
      [{ action: "create_task", crm: "hubspot", object: "task", surprise: 1 }, "surprise"],
      [{ action: "send_email", crm: "hubspot", object: "contact", payload: { to: "a@b.example.org" } }, "payload.body"],
      [{ action: "update_field", crm: "hubspot", object: "contact", objectId: "1", value: "x" }, "field"],
      [{ action: "create_task", crm: "hubspot", object: "task", confidence: 7 }, "confidence"],
      [{ action: "create_task", crm: "hubspot", object: "contact", objectType: "deals" }, "objectType"],
    ];
    for (const [body, key] of cases) {
      const res = await g.act("outreach-bot", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.message).toContain(key);
    }
    const garbled = await g.act("outreach-bot", "{not json");
    expect(garbled.status).toBe(400);
    expect(await g.auditCount()).toBe(audit);
    expect(await rows("SELECT 1 FROM action_requests WHERE agent_id = 'outreach-bot'")).toEqual([]);
  });

  it("replays an idempotency key's answer without a second decision, and refuses the key for another request", async () => {
    const body = {
      action: "send_email",
      crm: "hubspot",
      object: "contact",
      payload: compliantSend("idem@prospect.example.org"),
      idempotencyKey: "run-9:step-2",
    };
    const audit = await g.auditCount();
    const first = await g.act("idem-bot", body);
    expect(first.body.decision.outcome).toBe("allow");
    expect(first.replayed).toBe(false);
    const again = await g.act("idem-bot", body);
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
    // Without the key the same send is a duplicate: the replay really did not send twice.
    expect(await g.auditCount()).toBe(audit + 1);
    const changed = await g.act("idem-bot", { ...body, payload: { ...body.payload, subject: "Another subject" } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("idempotency_key_reused");
    // Keys are per agent: another agent's identical key is its own.
    expect(
      (await g.act("outreach-bot", { ...body, payload: compliantSend("idem2@prospect.example.org") })).replayed,
    ).toBe(false);
  });

  it("decides a dry run without auditing, counting or remembering anything", async () => {
    const audit = await g.auditCount();
    const payload = compliantSend("dry@prospect.example.org");
    for (let i = 0; i < 2; i++) {
      const res = await g.act("outreach-bot", {
        action: "send_email",
        crm: "hubspot",
        object: "contact",
        payload,
        dryRun: true,
        idempotencyKey: "dry",
      });
      expect(res.body).toMatchObject({ dryRun: true, eventId: null, executed: false, decision: { outcome: "allow" } });
      expect(res.body.permit).toBeUndefined();
    }
    expect(await g.auditCount()).toBe(audit);
    // The dry runs took no dedupe slot: the real send still goes.
    expect(
      (await g.act("outreach-bot", { action: "send_email", crm: "hubspot", object: "contact", payload })).body.decision
        .outcome,
    ).toBe("allow");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createKillSwitchHarness, eventually, type KillSwitchHarness } from "./helpers.js";

let h: KillSwitchHarness;
const tenant = () => `t-${randomBytes(4).toString("hex")}`;
const rita = { type: "human", id: "Rita (RevOps)", role: "revops_admin", via: "api_key" } as const;
const agentOff = {
  scope: { type: "agent", value: "enrichment-bot" },
  state: "on",
  reason: "writing junk industries",
} as const;

beforeAll(async () => {
  h = await createKillSwitchHarness("ks-service");
});
afterAll(async () => h?.teardown());

describe("kill switch service", () => {
  it("turns a switch on with who, when and why, audits it, and lists it as active", async () => {
    const t = tenant();
    const svc = h.service({ now: () => new Date("2026-03-02T10:00:00Z") });
    const sw = await svc.set(t, agentOff, rita);
    expect(sw).toMatchObject({
      tenantId: t,
      scope: { type: "agent", value: "enrichment-bot" },
      state: "on",
      reason: "writing junk industries",
      who: { id: "Rita (RevOps)", role: "revops_admin" },
      when: "2026-03-02T10:00:00.000Z",
      changed: true,
    });
    expect([...(await svc.active(t)).active]).toEqual(["agent:enrichment-bot"]);
    expect((await svc.list(t)).map((s) => s.scope.value)).toEqual(["enrichment-bot"]);
    const [event] = (await h.audit.query({ tenantId: t })).events;
    expect(event).toMatchObject({
      event_id: sw.eventId,
      action: "kill_switch",
      actor: { type: "human", id: "Rita (RevOps)", role: "revops_admin" },
      reason: "writing junk industries",
      occurred_at: "2026-03-02T10:00:00.000Z",
      field_diffs: [{ field: "kill_switch:agent:enrichment-bot", before: "off", after: "on" }],
    });
  });

  it("records nothing when asked for the state a switch already has", async () => {
    const t = tenant();
    const svc = h.service();
    await svc.set(t, agentOff, rita);
    const again = await svc.set(t, { ...agentOff, reason: "again" }, rita);
    expect(again.changed).toBe(false);
    const off = await svc.set(
      t,
      { scope: { type: "agent", value: "other-bot" }, state: "off", reason: "was never on" },
      rita,
    );
    expect(off).toMatchObject({ state: "off", changed: false, eventId: null });
    expect((await h.audit.query({ tenantId: t })).events).toHaveLength(1);
    expect(await svc.history(t)).toHaveLength(1);
  });

  it("keeps its state when Redis loses the suite's keys: the cache is rebuilt from PostgreSQL", async () => {
    const t = tenant();
    const svc = h.service();
    await svc.set(t, agentOff, rita);
    await svc.set(t, { scope: { type: "channel", value: "sends" }, state: "on", reason: "bounce spike" }, rita);
    expect(await h.flushPrefix()).toBeGreaterThan(0);
    expect(await h.redis.exists(`${h.prefix}:ks:{${t}}`)).toBe(0);
    // A fresh process (new service) and the same one both see the switches again.
    const fresh = h.service();
    expect([...(await fresh.active(t)).active].sort()).toEqual(["agent:enrichment-bot", "channel:email"]);
    expect([...(await svc.active(t)).active].sort()).toEqual(["agent:enrichment-bot", "channel:email"]);
    expect(await h.redis.hexists(`${h.prefix}:ks:{${t}}`, "agent:enrichment-bot")).toBe(1);
    // And start() rebuilds every tenant's cache up front.
    await h.flushPrefix();
    await fresh.start();
    expect(await h.redis.hexists(`${h.prefix}:ks:{${t}}`, "channel:email")).toBe(1);
    expect(fresh.cached(t).active.has("agent:enrichment-bot")).toBe(true);
  });

  it("maps operators' channel words to the policy's channels", async () => {
    const t = tenant();
    const svc = h.service();
    const sends = await svc.set(
      t,
      { scope: { type: "channel", value: "crm_writes" }, state: "on", reason: "stop CRM writes" },
      rita,
    );
    expect(sends.scope).toEqual({ type: "channel", value: "crm" });
    await svc.set(
      t,
      { scope: { type: "channel", value: "all_outbound" }, state: "on", reason: "stop all outbound" },
      rita,
    );
    expect([...(await svc.active(t)).active].sort()).toEqual(["channel:crm", "channel:email", "channel:meetings"]);
  });

  it("cancels an agent's queued writes while its agent, role, tenant or CRM channel is off — never protective writes", async () => {
    const t = tenant();
    const svc = h.service({ roleOf: (_t, agentId) => (agentId === "enrichment-bot" ? "enrichment" : "outreach") });
    const row = (purpose: string, agentId: string | null) => ({ tenantId: t, purpose, agentId });
    expect(svc.cancelWrite(row("apply", "enrichment-bot"))).toBeUndefined();
    const role = await svc.set(
      t,
      { scope: { type: "role", value: "enrichment" }, state: "on", reason: "bad enrichment run" },
      rita,
    );
    for (const purpose of ["apply", "provenance", "agent_action"])
      expect(svc.cancelWrite(row(purpose, "enrichment-bot"))).toEqual({
        causedBy: role.eventId,
        key: "role:enrichment",
        reason: "kill switch role:enrichment turned on by Rita (RevOps): bad enrichment run",
      });
    for (const purpose of ["revert", "rollback", "clear_shadow"])
      expect(svc.cancelWrite(row(purpose, null))).toBeUndefined();
    expect(svc.cancelWrite(row("apply", "outreach-bot"))).toBeUndefined();
    expect(svc.cancelWrite({ ...row("apply", "enrichment-bot"), tenantId: tenant() })).toBeUndefined();
    const all = await svc.set(t, { scope: { type: "tenant" }, state: "on", reason: "stop everything" }, rita);
    expect(svc.cancelWrite(row("apply", "outreach-bot"))?.causedBy).toBe(all.eventId);
    expect(svc.cancelWrite(row("revert", null))).toBeUndefined();
  });

  it("reports what a switch prevented when it is turned off, in the audit and its history", async () => {
    const t = tenant();
    const svc = h.service();
    const on = await svc.set(t, agentOff, rita);
    // Three queued writes the write queue cancelled for this switch (and one for another).
    for (const [id, by] of [
      ["w1", on.eventId],
      ["w2", on.eventId],
      ["w3", on.eventId],
      ["w4", "other-switch"],
    ])
      await h.t.db.query(
        `INSERT INTO crm_writes (id, tenant_id, crm, object_type, object_id, properties, purpose, agent_id, caused_by,
                                 status, cancelled_by)
         VALUES ($1, $2, 'hubspot', 'contacts', '1', '{"a":"b"}', 'apply', 'enrichment-bot', 'e', 'cancelled', $3)`,
        [`${t}-${id}`, t, by],
      );
    await svc.countPrevented(t, new Map([["agent:enrichment-bot", 7]]));
    expect((await svc.list(t))[0]!.prevented).toEqual({ decisions: 7, cancelledWrites: 3 });
    const off = await svc.set(t, { ...agentOff, state: "off", reason: "fixed the prompt" }, rita);
    expect(off.prevented).toEqual({ decisions: 7, cancelledWrites: 3 });
    const [event] = (await h.audit.query({ tenantId: t, limit: 1 })).events;
    expect(event).toMatchObject({
      reason: "fixed the prompt",
      field_diffs: [{ before: "on", after: "off" }],
      evidence: { prevented: { decisions: 7, cancelledWrites: 3 } },
    });
    const [last] = await svc.history(t, 1);
    expect(last).toMatchObject({ state: "off", prevented: { decisions: 7, cancelledWrites: 3 } });
    expect(await svc.active(t)).toEqual({ active: new Set() });
  });

  it("tells other processes at once: their in-process copy (write queue cancel) follows", async () => {
    const t = tenant();
    const here = h.service();
    const there = h.service();
    await there.start();
    const changes: string[] = [];
    there.onChange((tenantId) => changes.push(tenantId));
    await here.set(t, agentOff, rita);
    await eventually(() => !!there.cancelWrite({ tenantId: t, purpose: "apply", agentId: "enrichment-bot" }));
    await here.set(t, { ...agentOff, state: "off", reason: "resume" }, rita);
    await eventually(() => !there.cancelWrite({ tenantId: t, purpose: "apply", agentId: "enrichment-bot" }));
    expect(changes.filter((c) => c === t).length).toBeGreaterThanOrEqual(2);
  });

  it("keeps tenants apart", async () => {
    const [a, b] = [tenant(), tenant()];
    const svc = h.service();
    await svc.set(a, { scope: { type: "tenant" }, state: "on", reason: "incident" }, rita);
    expect((await svc.active(b)).active.size).toBe(0);
    expect(await svc.list(b)).toEqual([]);
  });
});

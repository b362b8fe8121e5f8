import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTriggerCounter, type TriggerCounter } from "../../src/killswitch/index.js";
import { createCounterLedger, createCounterStore, type CounterStore } from "../../src/limits/index.js";
import type { CounterKey } from "../../src/policy/index.js";
import { startOwnRedis, type OwnRedis } from "../faults/fault-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

// Redis of the suite's own: FLUSHALL here is the fault (a failover to a replica that had not caught up).
let redis: OwnRedis;
let t: TestDatabase;
let counters: CounterStore;
let triggers: TriggerCounter;
// Mid-window, so the sliding estimate reads the current bucket whole.
const at = new Date("2026-12-04T15:00:00.000Z");
const UTC = { timeZone: "UTC", at };
const tenant = () => `tenant-${randomBytes(4).toString("hex")}`;
const perDay = (limit: number): CounterKey => ({ key: "role:enrichment:day", window: "day", limit, ruleId: "r" });
const writes = (subject: string, eventKeys: string[]) => ({
  metric: "agent_writes_per_minute",
  subject,
  n: eventKeys.length,
  eventKeys,
});

beforeAll(async () => {
  redis = await startOwnRedis();
  t = await createTestDatabase({ only: ["014_counter_ledger"] });
  const ledger = createCounterLedger(t.db, { now: () => at });
  counters = createCounterStore({ redis: redis.client, prefix: "tg", now: () => at, ledger });
  triggers = createTriggerCounter({ redis: redis.client, prefix: "tg", ledger });
}, 30_000);
afterAll(async () => {
  await redis?.stop();
  await t?.drop();
});

describe("caps and triggers after Redis loses everything", () => {
  it("a daily cap is not handed out afresh: the next write sees what was used and is over the cap", async () => {
    const id = tenant();
    const used = await counters.consumeMany(id, [[perDay(3)], [perDay(3)], [perDay(3)]], UTC, ["e1", "e2", "e3"]);
    expect(used.every((r) => r.ok)).toBe(true);
    await redis.flushAll();
    expect(await counters.snapshot(id, [perDay(3)], UTC)).toEqual({ "role:enrichment:day": 3 });
    await redis.flushAll();
    const next = await counters.consumeMany(id, [[perDay(3)]], UTC, ["e4"]);
    expect(next).toEqual([{ ok: false, counters: { "role:enrichment:day": 3 } }]);
    // Under a higher limit it fits and counts on from 3, not from 0.
    expect((await counters.consumeMany(id, [[perDay(5)]], UTC, ["e4"]))[0]!.ok).toBe(true);
    expect(await counters.snapshot(id, [perDay(5)], UTC)).toEqual({ "role:enrichment:day": 4 });
  });

  it("a write-rate trigger counts on from what it had measured, not from 0", async () => {
    const id = tenant();
    await triggers.add(id, [writes("agent:enrichment-bot", ["w1", "w2", "w3", "w4", "w5"])], at);
    await redis.flushAll();
    const [rate] = await triggers.add(id, [writes("agent:enrichment-bot", ["w6"])], at);
    expect(rate).toMatchObject({ before: 5, after: 6, counted: [true] });
  });

  it("a retried batch counts its events once in a trigger", async () => {
    const id = tenant();
    await triggers.add(id, [writes("tenant", ["a", "b"])], at);
    // The batch's transaction failed; the job runs again with the same events and one more.
    const [retry] = await triggers.add(id, [writes("tenant", ["a", "b", "c"])], at);
    expect(retry).toMatchObject({ before: 2, after: 3, counted: [false, false, true] });
  });

  it("a lifted switch's triggers stay afresh even when Redis is lost after the lift", async () => {
    const id = tenant();
    await triggers.add(id, [writes("agent:enrichment-bot", ["x1", "x2", "x3"])], at);
    await triggers.reset(id, "agent:enrichment-bot", at);
    await redis.flushAll();
    const [rate] = await triggers.add(id, [writes("agent:enrichment-bot", ["x4"])], at);
    expect(rate).toMatchObject({ before: 0, after: 1 });
  });
});

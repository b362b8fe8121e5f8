import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCounterStore, type CounterStore } from "../../src/limits/index.js";
import type { CounterKey } from "../../src/policy/index.js";
import { TEST_REDIS_URL, testPrefix } from "../helpers/test-database.js";
import { deleteKeysUnder } from "../../src/redis/index.js";

const prefix = testPrefix("limits");
const clients: Redis[] = [];
let store: CounterStore;

const tenant = () => `tenant-${randomBytes(4).toString("hex")}`;
const cap = (key: string, limit: number, window: CounterKey["window"] = "day"): CounterKey => ({
  key,
  window,
  limit,
  ruleId: `test.${key}`,
});
const UTC = { timeZone: "UTC" };

beforeAll(async () => {
  for (let i = 0; i < 8; i++) clients.push(new Redis(TEST_REDIS_URL));
  store = createCounterStore({ redis: clients[0]!, prefix });
});

afterAll(async () => {
  await deleteKeysUnder(clients[0]!, prefix);
  for (const c of clients) c.disconnect();
});

describe("counter store", () => {
  it("counts an event once: a retried batch takes no second slot, a new event does", async () => {
    const t = tenant();
    const keys = [cap("agent:enrichment-bot:day", 5)];
    const first = await store.consumeMany(t, [keys, keys], UTC, ["evt-1", "evt-2"]);
    // The batch's transaction failed and the job runs again with the same events.
    const retry = await store.consumeMany(t, [keys, keys], UTC, ["evt-1", "evt-2"]);
    expect([...first, ...retry].every((r) => r.ok)).toBe(true);
    expect((await store.snapshot(t, keys, UTC))["agent:enrichment-bot:day"]).toBe(2);
    await store.consumeMany(t, [keys], UTC, ["evt-3"]);
    expect((await store.snapshot(t, keys, UTC))["agent:enrichment-bot:day"]).toBe(3);
  });

  it("does not mark an event counted when it did not fit, so it is refused again, not waved through", async () => {
    const t = tenant();
    const keys = [cap("agent:routing-bot:day", 1)];
    expect((await store.consumeMany(t, [keys], UTC, ["a"]))[0]!.ok).toBe(true);
    expect((await store.consumeMany(t, [keys], UTC, ["b"]))[0]!.ok).toBe(false);
    expect((await store.consumeMany(t, [keys], UTC, ["b"]))[0]!.ok).toBe(false);
  });

  it("never overshoots a cap under parallel writers: exactly `limit` writes succeed", async () => {
    const t = tenant();
    const limit = 37;
    // 8 connections, 200 writers: the script is the only thing between them.
    const stores = clients.map((redis) => createCounterStore({ redis, prefix }));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stores[i % stores.length]!.consume(t, [cap("role:enrichment:day", limit)], UTC),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(limit);
    const snap = await store.snapshot(t, [cap("role:enrichment:day", limit)], UTC);
    expect(snap["role:enrichment:day"]).toBe(limit);
  });

  it("never overshoots when parallel writers count against two caps at once", async () => {
    const t = tenant();
    const keys = [cap("role:outreach:day", 30), cap("domain:mail.example:day", 12)];
    const stores = clients.map((redis) => createCounterStore({ redis, prefix }));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => stores[i % stores.length]!.consume(t, keys, UTC)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    // All or nothing: the role counter moved only for the writes that fit the domain cap too.
    expect(await store.snapshot(t, keys, UTC)).toEqual({ "role:outreach:day": 12, "domain:mail.example:day": 12 });
  });

  it("reports the counters it found when an action does not fit, and increments nothing", async () => {
    const t = tenant();
    await store.consume(t, [cap("a", 1)], UTC);
    const r = await store.consume(t, [cap("a", 1), cap("b", 5)], UTC);
    expect(r).toEqual({ ok: false, counters: { a: 1, b: 0 } });
    expect(await store.snapshot(t, [cap("b", 5)], UTC)).toEqual({ b: 0 });
  });

  it("consumes a list in order in one call; later items see earlier increments", async () => {
    const t = tenant();
    const item = [cap("role:routing:day", 3)];
    const results = await store.consumeMany(t, [item, item, [], item, item], UTC);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false]);
  });

  it("keeps tenants apart", async () => {
    const [a, b] = [tenant(), tenant()];
    await store.consume(a, [cap("x", 1)], UTC);
    expect((await store.consume(b, [cap("x", 1)], UTC)).ok).toBe(true);
    expect((await store.consume(a, [cap("x", 1)], UTC)).ok).toBe(false);
  });

  it("counts per calendar day in the tenant's zone and expires the key after it", async () => {
    const t = tenant();
    const ny = { timeZone: "America/New_York" };
    const k = [cap("role:admin:day", 1)];
    expect((await store.consume(t, k, { ...ny, at: new Date("2025-06-04T03:59:00Z") })).ok).toBe(true);
    expect((await store.consume(t, k, { ...ny, at: new Date("2025-06-04T03:59:30Z") })).ok).toBe(false);
    // 04:00 UTC is midnight in New York: a new day, a new counter.
    expect((await store.consume(t, k, { ...ny, at: new Date("2025-06-04T04:00:30Z") })).ok).toBe(true);
    const keys = await clients[0]!.keys(`${prefix}:cap:{${t}}:*`);
    expect(keys.sort()).toEqual([
      `${prefix}:cap:{${t}}:d2025-06-03:role:admin:day`,
      `${prefix}:cap:{${t}}:d2025-06-04:role:admin:day`,
    ]);
    for (const key of keys) {
      const ttl = await clients[0]!.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(86_400 + 3_600);
    }
  });

  it("counts hours separately from days", async () => {
    const t = tenant();
    const at = new Date("2025-06-03T10:15:00Z");
    const hour = [cap("role:outreach:hour", 2, "hour")];
    await store.consume(t, hour, { ...UTC, at });
    await store.consume(t, hour, { ...UTC, at });
    expect((await store.consume(t, hour, { ...UTC, at })).ok).toBe(false);
    expect((await store.consume(t, hour, { ...UTC, at: new Date("2025-06-03T11:00:01Z") })).ok).toBe(true);
  });
});

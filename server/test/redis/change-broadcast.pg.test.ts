import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.js";
import { createPolicyRegistry, type PolicyRegistry } from "../../src/policy/index.js";
import { createChangeBroadcast, deleteKeysUnder, type ChangeBroadcast } from "../../src/redis/index.js";
import { createTestDatabase, testPrefix, TEST_REDIS_URL, type TestDatabase } from "../helpers/test-database.js";

// Two Tollgate processes share one PostgreSQL and one Redis: a policy replaced through one must
// govern the other's next decision, not one up to a refresh interval later. No periodic refresh
// runs here, so only the broadcast can tell the second process.
const PATH = "manifests/policy.yaml";
const TENANT = "77001";

describe("policy changes published across processes", () => {
  let testDb: TestDatabase;
  let redis: Redis;
  const prefix = testPrefix("broadcast");
  const broadcasts: ChangeBroadcast[] = [];
  let a: PolicyRegistry;
  let b: PolicyRegistry;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    redis = new Redis(TEST_REDIS_URL);
    const audit = await createAuditLog(testDb.db);
    a = await createPolicyRegistry({ db: testDb.db, audit, path: PATH });
    b = await createPolicyRegistry({ db: testDb.db, audit, path: PATH });
    for (const registry of [a, b]) {
      const broadcast = createChangeBroadcast({ redis, channel: `${prefix}:policy:changed`, registry });
      await broadcast.start();
      broadcasts.push(broadcast);
    }
  });

  afterAll(async () => {
    await Promise.all(broadcasts.map((x) => x.close()));
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
    await testDb.drop();
  });

  it("a policy replaced in one process is the one the other decides with, as soon as it is published", async () => {
    const before = b.current(TENANT).version;
    const heard = new Promise<string>((resolve) => b.onChange(resolve));
    const yaml = readFileSync(PATH, "utf8").replace("timezone: UTC", "timezone: Europe/Paris");
    const { policy } = await a.replace(TENANT, yaml, {
      type: "human",
      id: "revops@acme.example",
      role: "revops",
      via: "api",
    });
    expect(policy.version).not.toBe(before);
    expect(await heard).toBe(TENANT);
    expect(b.current(TENANT).version).toBe(policy.version);
    expect(b.current(TENANT).compiled.timezone).toBe("Europe/Paris");
  });

  it("a process that hears of a change does not publish it again", async () => {
    const sub = redis.duplicate();
    const seen: string[] = [];
    sub.on("message", (_c: string, m: string) => seen.push(m));
    await sub.subscribe(`${prefix}:policy:changed`);
    const heard = new Promise<string>((resolve) => b.onChange(resolve));
    const yaml = readFileSync(PATH, "utf8").replace("timezone: UTC", "timezone: Asia/Tokyo");
    await a.replace(TENANT, yaml, { type: "human", id: "revops@acme.example", role: "revops", via: "api" });
    await heard;
    // Whatever else is in flight has landed once b has refreshed and a round trip has passed.
    await redis.ping();
    await sub.quit();
    expect(seen).toEqual([TENANT]);
  });
});

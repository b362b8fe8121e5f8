import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisScript } from "../../src/webhooks/create-redis-script.js";
import { connectRedis, deleteUnder, uniquePrefix } from "./redis-test-utils.js";

let redis: Redis;
const prefix = uniquePrefix();

beforeAll(() => {
  redis = connectRedis();
});
afterAll(async () => {
  await deleteUnder(redis, prefix);
  await redis.quit();
});

describe("createRedisScript", () => {
  it("loads a script Redis does not know yet, then runs it by its SHA", async () => {
    // A comment no other run has used: Redis cannot know this source, so the first call must fall back.
    const script = createRedisScript(
      `-- ${randomUUID()}\nredis.call("SADD", KEYS[1], unpack(ARGV)) return redis.call("SCARD", KEYS[1])`,
    );
    const key = `${prefix}:set`;
    expect(await script(redis, [key], ["a", "b"])).toBe(2);
    expect(await script(redis, [key], ["b", "c"])).toBe(3);
    expect((await redis.smembers(key)).sort()).toEqual(["a", "b", "c"]);
  });

  it("passes a script's own error through", async () => {
    const script = createRedisScript(`-- ${randomUUID()}\nreturn redis.call("SADD", KEYS[1], "x")`);
    const key = `${prefix}:string`;
    await redis.set(key, "not a set");
    await expect(script(redis, [key], [])).rejects.toThrow(/WRONGTYPE/);
  });
});

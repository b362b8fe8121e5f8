import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { checkRedisVersion, redisVersionOf, RedisVersionError, whyRedisUnsupported } from "../../src/redis/index.js";
import { TEST_REDIS_URL } from "../helpers/test-database.js";

const info = (version: string) =>
  `# Server\r\nredis_version:${version}\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\nos:Linux\r\n`;

describe("the Redis version check at start", () => {
  it("reads redis_version from INFO server", () => {
    expect(redisVersionOf(info("7.0.15"))).toBe("7.0.15");
    expect(redisVersionOf("# Server\r\nredis_mode:standalone\r\n")).toBeUndefined();
  });

  it("accepts 6.2 and newer, and refuses 6.0 (older than BullMQ's recommended minimum) in one line naming the version and the fix", () => {
    expect(whyRedisUnsupported(info("6.2.0"))).toBeUndefined();
    expect(whyRedisUnsupported(info("6.2.14"))).toBeUndefined();
    expect(whyRedisUnsupported(info("7.2.4"))).toBeUndefined();
    expect(whyRedisUnsupported(info("10.0.0"))).toBeUndefined();
    const why = whyRedisUnsupported(info("6.0.16"))!;
    expect(why).toContain("Redis 6.0.16 is too old");
    expect(why).toContain("6.2");
    expect(why).not.toContain("\n");
    expect(whyRedisUnsupported(info("5.0.7"))).toMatch(/5\.0\.7 is too old/);
    expect(whyRedisUnsupported("")).toMatch(/did not report its version/);
  });

  it("refuses a server that reports an older version, with a RedisVersionError", async () => {
    const old = { info: async () => info("6.0.16") };
    const refused = await checkRedisVersion(old).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RedisVersionError);
    expect((refused as RedisVersionError).code).toBe("redis_unsupported");
    expect((refused as Error).message).toMatch(/^Redis 6\.0\.16 is too old: Tollgate needs Redis ≥ 6\.2/);
  });

  it("refuses a server that does not answer, instead of waiting forever", async () => {
    const silent = { info: () => new Promise<string>(() => undefined) };
    await expect(checkRedisVersion(silent, 50)).rejects.toThrow(/Redis does not answer/);
  });

  it("passes the real Redis the tests run on", async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    try {
      await expect(checkRedisVersion(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});

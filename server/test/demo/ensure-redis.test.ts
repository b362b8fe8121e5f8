import { describe, expect, it } from "vitest";
import { freePort } from "../../sandbox/demo/start-local-stack.js";
import { ensureRedis, redisAnswers, RedisNotAvailableError } from "../../sandbox/demo/ensure-redis.js";
import { TEST_REDIS_URL } from "../helpers/test-database.js";

describe("npm run demo's Redis", { timeout: 30_000 }, () => {
  it("starts a local redis-server where none answers, and stops it again", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await redisAnswers(url)).toBe(false);
    const ensured = await ensureRedis(url);
    try {
      expect(ensured.child?.pid).toBeGreaterThan(0);
      expect(await redisAnswers(url)).toBe(true);
    } finally {
      await ensured.stop();
    }
    expect(await redisAnswers(url)).toBe(false);
  });

  it("leaves a Redis that already answers alone", async () => {
    const ensured = await ensureRedis(TEST_REDIS_URL);
    expect(ensured.child).toBeUndefined();
    await ensured.stop();
    expect(await redisAnswers(TEST_REDIS_URL)).toBe(true);
  });

  it("says in one line what to do when redis-server is not installed", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const err = await ensureRedis(url, { redisServer: "/nonexistent/redis-server" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisNotAvailableError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(/redis-server is not installed: install Redis ≥ 6\.2 .*`docker compose up -d redis`/);
  });
});

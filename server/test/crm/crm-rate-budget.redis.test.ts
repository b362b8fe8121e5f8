import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createCrmRateBudget } from "../../src/crm/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { TEST_REDIS_URL, testPrefix } from "../helpers/test-database.js";

const prefix = testPrefix("crm-budget");
// Two processes' own connections to one Redis.
const a = new Redis(TEST_REDIS_URL);
const b = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await deleteKeysUnder(a, prefix);
  a.disconnect();
  b.disconnect();
});

describe("the shared per-tenant CRM budget", () => {
  it("holds two processes' searches together to 5 a second, not 5 each", async () => {
    const budgets = [createCrmRateBudget({ redis: a, prefix }), createCrmRateBudget({ redis: b, prefix })];
    const started = Date.now();
    const at: number[] = [];
    // Each process wants 10 searches for the same portal at once.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await budgets[i % 2]!.take("portal-1", "search");
        at.push(Date.now() - started);
      }),
    );
    at.sort((x, y) => x - y);
    // Fixed one-second windows: 5 in the first, and 20 need at least four windows.
    expect(at.filter((ms) => ms < 900)).toHaveLength(5);
    expect(at[19]!).toBeGreaterThanOrEqual(2_900);
    // Another portal's budget is its own.
    const other = Date.now();
    await budgets[1]!.take("portal-2", "search");
    expect(Date.now() - other).toBeLessThan(500);
  }, 20_000);
});

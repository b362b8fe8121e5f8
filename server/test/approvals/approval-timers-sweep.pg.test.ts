import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalQueue, createApprovalTimers } from "../../src/approvals/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { testPrefix, testRedisOptions, TEST_REDIS_URL } from "../helpers/test-database.js";
import { newTenantId, waitFor } from "../helpers/wait-for.js";
import { createApprovalHarness, type ApprovalHarness } from "./approval-harness.js";

// The approval timers' sweep (docs/operations.md, TOLLGATE_SWEEP_INTERVAL_MS): an approval's expiry
// lives in PostgreSQL, so a timer Redis never had (lost with it, or never scheduled) still fires.
let h: ApprovalHarness;
beforeAll(async () => {
  h = await createApprovalHarness();
});
afterAll(async () => {
  await h?.teardown();
});

describe("approval timers", () => {
  it("expire an approval whose timer Redis does not have, at the next sweep", async () => {
    const prefix = testPrefix("approval-timers");
    const queue = createApprovalQueue({
      connection: testRedisOptions(),
      prefix,
      store: h.store,
      now: h.clock.now,
    });
    const timers = createApprovalTimers({
      queue,
      service: h.service,
      sweepIntervalMs: 300,
      logger: { warn: () => undefined },
    });
    // Started first, so its start-up rebuild finds nothing: only a later sweep can learn of the approval.
    await timers.start();
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const tenantId = newTenantId();
      // Seeded straight into PostgreSQL, as enforcement commits it: no timer job exists in Redis.
      const a = await h.seed({ tenantId, expiresInMs: 60_000 });
      h.clock.advance(61_000);
      await waitFor(
        async () => (await h.store.get(tenantId, a.id))?.status === "expired",
        15_000,
        "the approval expired by the swept timer",
      );
      expect((await h.events(tenantId)).map((e) => e.action)).toContain("expire");
    } finally {
      h.clock.current = new Date();
      await timers.close();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
    }
  });
});

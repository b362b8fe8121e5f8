import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalQueue, createApprovalTimers, type ApprovalJob } from "../../src/approvals/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { testPrefix, testRedisOptions, TEST_REDIS_URL } from "../helpers/test-database.js";
import { newTenantId, waitFor } from "../helpers/wait-for.js";
import { createApprovalHarness, type ApprovalHarness } from "./approval-harness.js";

// An outage outlasting every retry of an expiry job (docs/operations.md): the failed job must not
// keep its id, or the sweep's rebuild adds nothing and the approval stays pending past expiry.
let h: ApprovalHarness;
beforeAll(async () => {
  h = await createApprovalHarness();
});
afterAll(async () => {
  await h?.teardown();
});

describe("approval expiry after an outage longer than its retries", () => {
  it("is re-armed by the next sweep and expires once the store is back", async () => {
    const prefix = testPrefix("approval-expiry-outage");
    // Two quick attempts stand in for the ten of production (about 17 minutes of outage).
    const queue = createApprovalQueue({
      connection: testRedisOptions(),
      prefix,
      store: h.store,
      now: h.clock.now,
      expireRetry: { attempts: 2, backoffMs: 10 },
    });
    let attempts = 0;
    const service = {
      // The expiry handler's store is down for exactly the job's retries, then back.
      async onExpireJob(job: ApprovalJob) {
        attempts += 1;
        if (attempts <= 2) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        await h.service.onExpireJob(job);
      },
      reconcile: (tenantId?: string) => h.service.reconcile(tenantId),
    };
    const timers = createApprovalTimers({ queue, service, sweepIntervalMs: 300, logger: { warn: () => undefined } });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const tenantId = newTenantId();
      const a = await h.seed({ tenantId, expiresInMs: 60_000 });
      h.clock.advance(61_000);
      await timers.start();
      await waitFor(
        async () => (await h.store.get(tenantId, a.id))?.status === "expired",
        15_000,
        "the approval expired after its failed job was re-armed",
      );
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect((await h.events(tenantId)).map((e) => e.action)).toContain("expire");
    } finally {
      h.clock.current = new Date();
      await timers.close();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
    }
  });
});

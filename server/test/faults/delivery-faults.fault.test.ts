import { expect, it } from "vitest";
import {
  crmThrottledAndFailing,
  duplicatedAndReordered,
  RECONCILE_INTERVAL_S,
  twoProcesses,
  webhooksNeverDelivered,
} from "./scenarios.js";
import { expectRecovered } from "./expect-recovered.js";
import { describeFaults } from "./describe-faults.js";

describeFaults("faults of the CRM and of webhook delivery", () => {
  it("the CRM answers 429 then 503 for a stretch: every revert lands once it answers again", async () => {
    expectRecovered(await crmThrottledAndFailing(20), 20);
  }, 120_000);

  it("webhooks never delivered: reconciliation reverts every write within one interval", async () => {
    const f = await webhooksNeverDelivered(10);
    expectRecovered(f, 10);
    // One interval to find them, and a little to enforce and write back.
    expect(f.secondsToRecover).toBeLessThanOrEqual(RECONCILE_INTERVAL_S + 3);
  }, 120_000);

  it("every batch delivered twice, newest first: each write decided once and reverted once", async () => {
    expectRecovered(await duplicatedAndReordered(16), 16);
  }, 120_000);

  it("two processes on one Redis and PostgreSQL, each given every batch, act as one", async () => {
    expectRecovered(await twoProcesses(20), 20);
  }, 120_000);
});

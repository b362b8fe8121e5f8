import { expect, it } from "vitest";
import { forgedWebhooks } from "./forged-webhooks.js";
import { describeFaults } from "./describe-faults.js";

describeFaults("fault: 10,000 forged or malformed webhooks (fast-check)", () => {
  it("refuses every one with a 4xx, keeps nothing of them, and never crashes", async () => {
    const f = await forgedWebhooks(10_000);
    expect(f.examples).toEqual([]);
    expect(f).toMatchObject({
      sent: 10_000,
      accepted: 0,
      serverErrors: 0,
      crashed: false,
      traces: 0,
      auditChainOk: true,
    });
  }, 120_000);
});

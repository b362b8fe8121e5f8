import { describe, expect, it } from "vitest";
import { killAndFlushRedisAfterAck } from "./scenarios.js";

describe("fault: Tollgate killed -9 mid-batch, then Redis loses everything after the 200", () => {
  it("loses no acknowledged event: every disallowed write is reverted exactly once, the chain verifies", async () => {
    const f = await killAndFlushRedisAfterAck(20);
    expect(f).toMatchObject({
      disallowedWrites: 20,
      eventsLost: 0,
      reverted: 20,
      revertedTwice: 0,
      auditChainOk: true,
      receiptsOpen: 0,
    });
  }, 90_000);
});

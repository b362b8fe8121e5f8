import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReplayPositionStore } from "../../src/cdc/index.js";
import type { CrmChange } from "../../src/enforce/index.js";
import { waitFor } from "../helpers/wait-for.js";
import { startCdcHarness, type CdcHarness } from "./cdc-harness.js";

/** Blocks the event loop, as a large enforcement batch or a busy host does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

// Faults of the CDC stream, on real PostgreSQL and the sandbox's CometD endpoint.
describe("Salesforce CDC faults", () => {
  let h: CdcHarness;
  // faye gives a held /meta/connect 1.2 × the advised timeout (here 360 ms) before it gives up on it.
  beforeAll(async () => void (h = await startCdcHarness({ longPollMs: 300 })));
  afterAll(() => h.close());

  it("replays an event whose long-poll answer the client gave up on (the event loop stalled past faye's timeout)", async () => {
    const { org, agentId } = h;
    const tenantId = "00D000000000F01";
    const [first, second] = org.seed("Lead", [{ LastName: "First" }, { LastName: "Second" }]);
    await createReplayPositionStore(h.tdb.db).save(tenantId, "/data/ChangeEvents", {
      replayId: org.streaming.latestReplayId(),
      lastEventAt: undefined,
    });
    const seen: CrmChange[] = [];
    const i = h.ingestor(tenantId, async (c) => void seen.push(...c));
    await i.start();
    await waitFor(() => org.streaming.heldConnects() === 1, 5000, "a held connect");
    // The write answers the held connect with its event at once; the stall then lets faye's
    // timer for that connect fire before the answer is read, and faye drops the answer.
    org.write("Lead", first!, { Title: "CFO" }, agentId);
    stall(800);
    org.write("Lead", second!, { Title: "CTO" }, agentId);
    await waitFor(() => seen.some((c) => c.objectId === second), 10_000, "the later event");
    await waitFor(() => seen.some((c) => c.objectId === first), 10_000, "the event in the abandoned answer");
    await i.idle();
    expect(i.position()).toBe(org.streaming.latestReplayId());
  });
});

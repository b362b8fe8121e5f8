import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCdcIngestor, createReplayPositionStore, type CdcIngestor } from "../../src/cdc/index.js";
import { createSalesforceConnector, type SalesforceConnector } from "../../src/crm/salesforce/index.js";
import type { CrmChange } from "../../src/enforce/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Blocks the event loop, as a large enforcement batch or a busy host does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

// Faults of the CDC stream, on real PostgreSQL and the sandbox's CometD endpoint.
describe("Salesforce CDC faults", () => {
  let tdb: TestDatabase;
  let org: SalesforceSandbox;
  let connector: SalesforceConnector;
  let agentId: string;
  const running: CdcIngestor[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // faye gives a held /meta/connect 1.2 × the advised timeout (here 360 ms) before it gives up on it.
    org = await createSalesforceSandbox({ longPollMs: 300 });
    agentId = org.users.create("Enrichment Bot").id;
    connector = createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: org.users.token(org.users.create("Tollgate").id),
    });
  });
  afterAll(async () => {
    for (const i of running) await i.stop();
    await org.close();
    await tdb.drop();
  });

  function ingestor(tenantId: string, seen: CrmChange[]): CdcIngestor {
    const i = createCdcIngestor({
      tenantId,
      connector,
      positions: createReplayPositionStore(tdb.db),
      enforce: async (_t, changes) => void seen.push(...changes),
      reconcile: async () => undefined,
      objectTypes: () => ["Lead"],
      logger: quiet,
      retryDelayMs: 50,
    });
    running.push(i);
    return i;
  }

  it("replays an event whose long-poll answer the client gave up on (the event loop stalled past faye's timeout)", async () => {
    const tenantId = "00D000000000F01";
    const [first, second] = org.seed("Lead", [{ LastName: "First" }, { LastName: "Second" }]);
    await createReplayPositionStore(tdb.db).save(tenantId, "/data/ChangeEvents", {
      replayId: org.streaming.latestReplayId(),
      lastEventAt: undefined,
    });
    const seen: CrmChange[] = [];
    const i = ingestor(tenantId, seen);
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

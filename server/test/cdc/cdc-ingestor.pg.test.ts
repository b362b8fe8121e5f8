import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReplayPositionStore, readReconcileChanges, type ReconcileRequest } from "../../src/cdc/index.js";
import type { SalesforceConnector } from "../../src/crm/salesforce/index.js";
import type { CrmChange } from "../../src/enforce/index.js";
import type { SalesforceSandbox } from "../../sandbox/salesforce/index.js";
import type { TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";
import { startCdcHarness, type CdcHarness } from "./cdc-harness.js";

// The CDC path on real PostgreSQL (replay positions) and the sandbox's CometD stream.
describe("Salesforce CDC ingestion", () => {
  let h: CdcHarness;
  let tdb: TestDatabase;
  let org: SalesforceSandbox;
  let connector: SalesforceConnector;
  let agentId: string;

  beforeAll(async () => {
    h = await startCdcHarness({ longPollMs: 300 });
    ({ tdb, org, connector, agentId } = h);
  });
  afterAll(() => h.close());

  const ingestor = (
    tenantId: string,
    enforce: (changes: CrmChange[]) => Promise<void>,
    reconciles: ReconcileRequest[] = [],
  ) => h.ingestor(tenantId, enforce, reconciles);

  it("starts from every retained event, fans events out per record and field, saves the position after enforcing, and resumes there after a restart", async () => {
    const tenantId = "00D000000000A01";
    const [a, b] = org.seed("Lead", [{ LastName: "A" }, { LastName: "B" }]);
    // Written before Tollgate ever listened: -2 on the first start still sees it.
    org.write("Lead", a!, { Industry: "Banking", Title: "CFO" }, agentId);
    const seen: CrmChange[] = [];
    const first = ingestor(tenantId, async (c) => void seen.push(...c));
    await first.start();
    await waitFor(() => seen.some((c) => c.objectId === a && c.property === "Title"), 5000, "replayed event");
    const replayed = seen.filter((c) => c.objectId === a);
    expect(replayed.map((c) => [c.property, c.value])).toEqual([
      ["Industry", "Banking"],
      ["Title", "CFO"],
    ]);
    expect(replayed[0]).toMatchObject({
      crm: "salesforce",
      objectType: "Lead",
      policyObject: "lead",
      kind: "property_change",
      source: { userId: agentId },
    });
    expect(replayed[0]!.eventKey).toMatch(/^sf:[\w-]+:1:Lead:/);

    // One write of two records in one call: one event, two changes.
    await connector.writeRecords([
      { objectType: "Lead", objectId: a!, properties: { Industry: "Retail" } },
      { objectType: "Lead", objectId: b!, properties: { Industry: "Retail" } },
    ]);
    await waitFor(() => seen.filter((c) => c.value === "Retail").length === 2, 5000, "fan out");
    const fanned = seen.filter((c) => c.value === "Retail");
    expect(fanned.map((c) => c.objectId)).toEqual([a, b]);
    expect(fanned.every((c) => c.source.client === "tollgate")).toBe(true);
    await first.idle();
    const saved = await createReplayPositionStore(tdb.db).get(tenantId, "/data/ChangeEvents");
    expect(saved?.replayId).toBe(first.position());
    await first.stop();

    org.write("Lead", b!, { Industry: "Energy" }, agentId);
    const after: CrmChange[] = [];
    const second = ingestor(tenantId, async (c) => void after.push(...c));
    await second.start();
    await waitFor(() => after.length > 0, 5000, "resumed event");
    await new Promise((r) => setTimeout(r, 300));
    expect(after.map((c) => [c.objectId, c.value])).toEqual([[b, "Energy"]]);
    await second.stop();
  });

  it("retries a batch enforcement refused, without moving the position past it", async () => {
    const tenantId = "00D000000000A02";
    const [id] = org.seed("Lead", [{ LastName: "Retry" }]);
    let failures = 2;
    const seen: CrmChange[] = [];
    const positions = createReplayPositionStore(tdb.db);
    await positions.save(tenantId, "/data/ChangeEvents", {
      replayId: org.streaming.latestReplayId(),
      lastEventAt: undefined,
    });
    const i = ingestor(tenantId, async (c) => {
      if (failures-- > 0) throw new Error("database unavailable");
      seen.push(...c);
    });
    await i.start();
    const before = (await positions.get(tenantId, "/data/ChangeEvents"))!.replayId;
    org.write("Lead", id!, { Title: "VP" }, agentId);
    await waitFor(() => seen.length === 1, 5000, "retried batch");
    await i.idle();
    expect((await positions.get(tenantId, "/data/ChangeEvents"))!.replayId).toBeGreaterThan(before);
    await i.stop();
  });

  it("turns a gap event and a position outside retention into reconciliation reads", async () => {
    const tenantId = "00D000000000A03";
    const reconciles: ReconcileRequest[] = [];
    const i = ingestor(tenantId, async () => undefined, reconciles);
    const positions = createReplayPositionStore(tdb.db);
    await positions.save(tenantId, "/data/ChangeEvents", {
      replayId: org.streaming.latestReplayId(),
      lastEventAt: new Date(Date.now() - 60_000),
    });
    await i.start();
    await new Promise((r) => setTimeout(r, 200));
    const [id] = org.seed("Lead", [{ LastName: "Gap" }]);
    org.streaming.publish({
      entityName: "Lead",
      recordIds: [id!],
      changeType: "GAP_UPDATE",
      changeOrigin: "",
      transactionKey: "tk-gap",
      sequenceNumber: 1,
      commitTimestamp: Date.now(),
      commitNumber: 1,
      commitUser: agentId,
    });
    await waitFor(() => reconciles.length === 1, 5000, "gap reconcile");
    expect(reconciles[0]).toMatchObject({ objectType: "Lead", recordIds: [id], reason: "GAP_UPDATE" });
    await i.stop();

    // Down for longer than retention: the saved id is no longer replayable.
    org.streaming.expireRetained();
    await positions.save(tenantId, "/data/ChangeEvents", { replayId: 1, lastEventAt: new Date(Date.now() - 3600_000) });
    const lost: ReconcileRequest[] = [];
    const j = ingestor(tenantId, async () => undefined, lost);
    await j.start();
    await waitFor(() => lost.length === 1, 5000, "retention reconcile");
    expect(lost[0]).toMatchObject({ objectType: "Lead", reason: "replay id outside retention" });
    expect(lost[0]!.since!.getTime()).toBeLessThan(Date.now() - 3000_000);
    await waitFor(
      async () => (await positions.get(tenantId, "/data/ChangeEvents"))?.replayId === -2,
      5000,
      "position reset",
    );
    await j.stop();
  });

  it("reads back what changed since a time from LastModifiedDate and field history, attributed to each writer", async () => {
    const [id] = org.seed("Lead", [{ LastName: "Recon", Industry: "Energy" }]);
    const since = new Date(Date.now() - 10);
    org.write("Lead", id!, { Industry: "Banking" }, agentId);
    const changes = await readReconcileChanges(
      connector,
      "00D000000000A04",
      { objectType: "Lead", since, reason: "test" },
      ["Industry"],
    );
    const mine = changes.filter((c) => c.objectId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      property: "Industry",
      value: "Banking",
      source: { userId: agentId },
      kind: "property_change",
    });
  });
});

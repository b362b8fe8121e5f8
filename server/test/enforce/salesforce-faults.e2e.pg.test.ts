import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../sandbox/demo/start-local-stack.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";
import { startAlertReceiver, type AlertReceiver } from "../helpers/alert-receiver.js";

// The reliability faults on the Salesforce path (a real Tollgate on real PostgreSQL and Redis,
// the Salesforce sandbox): the CDC stream dropped mid-runaway, 503s from sObject Collections, the
// daily allocation spent. Each time every disallowed write is undone exactly once, or waits.

let t: TestDatabase;
let h: LocalStack;
let sf: NonNullable<LocalStack["salesforce"]>;
let alertReceiver: AlertReceiver;

beforeAll(async () => {
  alertReceiver = await startAlertReceiver();
  t = await createTestDatabase({ poolSize: 10 });
  h = await startLocalStack({
    db: t.db,
    prefix: testPrefix("sf-faults"),
    redisUrl: TEST_REDIS_URL,
    demoData: false,
    salesforce: {},
    env: {
      TOLLGATE_ALERT_WEBHOOK_URL: alertReceiver.url,
      TOLLGATE_RETRY_BASE_MS: "50",
      TOLLGATE_RETRY_MAX_MS: "200",
      TOLLGATE_SWEEP_INTERVAL_MS: "200",
    },
  });
  sf = h.salesforce!;
}, 60_000);
afterAll(async () => {
  await h?.close();
  await t?.drop();
  alertReceiver?.close();
});

const OPEN = "Open - Not Contacted";
const leads = (n: number) =>
  sf.org.seed(
    "Lead",
    Array.from({ length: n }, (_, i) => ({ LastName: `Fault ${i}`, Company: "Acme", Status: OPEN })),
  );
const runaway = (ids: readonly string[]) => {
  for (const id of ids) sf.org.write("Lead", id, { Status: "Closed - Converted" }, sf.users.enrichment.id);
};
/** How many times Tollgate wrote each record's Status (a revert is one). */
const tollgateWrites = (id: string) =>
  sf.org.history("Lead", id, "Status").filter((r) => r["CreatedById"] === sf.tollgateUser.id).length;
const writesByStatus = async () => {
  const { rows } = await t.db.query<{ status: string; n: number }>(
    "SELECT status, count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 GROUP BY status",
    [sf.org.orgId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
};

describe("Salesforce faults, end to end", () => {
  it("a CDC stream dropped mid-runaway: a new client resumes after the last processed event; every write undone once", async () => {
    const ids = leads(40);
    await h.tollgate.baseline(sf.org.orgId);
    const handshakes = sf.org.streaming.handshakes();
    runaway(ids.slice(0, 20));
    sf.org.streaming.dropClients();
    runaway(ids.slice(20));
    await sf.settle();
    expect(sf.org.streaming.handshakes()).toBeGreaterThan(handshakes);
    expect(ids.filter((id) => sf.org.getRecord("Lead", id)!["Status"] !== OPEN)).toEqual([]);
    expect(ids.map(tollgateWrites)).toEqual(ids.map(() => 1));
  });

  it("503s from sObject Collections: the write queue retries; every write undone once", async () => {
    const ids = leads(30);
    await h.tollgate.baseline(sf.org.orgId);
    sf.org.limits.failNext(3);
    runaway(ids);
    await sf.settle();
    expect(ids.filter((id) => sf.org.getRecord("Lead", id)!["Status"] !== OPEN)).toEqual([]);
    expect(ids.map(tollgateWrites)).toEqual(ids.map(() => 1));
    expect((await writesByStatus())["failed"]).toBeUndefined();
  });

  it("a GAP_OVERFLOW event stands for changes CDC could not carry: they are read back (SOQL, field history) and enforced at once", async () => {
    const [id] = leads(1);
    await h.tollgate.baseline(sf.org.orgId);
    sf.org.streaming.withhold();
    sf.org.write("Lead", id!, { Status: "Closed - Converted" }, sf.users.enrichment.id);
    sf.org.streaming.withhold(false);
    sf.org.streaming.publish({
      entityName: "Lead",
      recordIds: [],
      changeType: "GAP_OVERFLOW",
      changeOrigin: "",
      transactionKey: "tk-overflow",
      sequenceNumber: 1,
      commitTimestamp: Date.now(),
      commitNumber: 1,
      commitUser: "",
    });
    await sf.settle();
    expect(sf.org.getRecord("Lead", id!)!["Status"]).toBe(OPEN);
    expect(tollgateWrites(id!)).toBe(1);
  });

  it("the daily allocation spent: reverts wait in the queue (none failed or dropped), no further call is made, and the alert webhook is told", async () => {
    const ids = leads(10);
    await h.tollgate.baseline(sf.org.orgId);
    const { used } = sf.org.limits.usage();
    sf.org.limits.set(used, used);
    runaway(ids);
    await waitFor(
      () => alertReceiver.alerts.some((a) => a["type"] === "crm.allocation_exhausted"),
      15_000,
      "the allocation alert",
    );
    expect(alertReceiver.alerts.find((a) => a["type"] === "crm.allocation_exhausted")).toMatchObject({
      tenantId: sf.org.orgId,
      crm: "salesforce",
    });
    await waitFor(async () => (await writesByStatus())["pending"] === ids.length, 10_000, "reverts queued");
    const refusedSoFar = sf.org.stats().calls["PATCH /composite/sobjects"];
    await new Promise((r) => setTimeout(r, 600));
    // Paused: the queue neither spends the allocation further nor gives up on a revert.
    expect(sf.org.stats().calls["PATCH /composite/sobjects"]).toBe(refusedSoFar);
    const statuses = await writesByStatus();
    expect(statuses["failed"]).toBeUndefined();
    expect(statuses["skipped"]).toBeUndefined();
    expect(statuses["pending"]).toBe(ids.length);
    expect(ids.every((id) => sf.org.getRecord("Lead", id)!["Status"] === "Closed - Converted")).toBe(true);
    sf.org.limits.set(1_000_000, 0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../sandbox/demo/start-local-stack.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";

// Reconciliation on the Salesforce path: an agent's write whose CDC event never arrives is found
// by the sweep (SOQL on LastModifiedDate, then field history) every TOLLGATE_RECONCILE_INTERVAL_S.

const INTERVAL_S = 1;
let t: TestDatabase;
let h: LocalStack;
let sf: NonNullable<LocalStack["salesforce"]>;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  h = await startLocalStack({
    db: t.db,
    prefix: testPrefix("sf-reconcile"),
    redisUrl: TEST_REDIS_URL,
    demoData: false,
    salesforce: {},
    env: { TOLLGATE_RECONCILE_INTERVAL_S: String(INTERVAL_S) },
  });
  sf = h.salesforce!;
}, 60_000);
afterAll(async () => {
  await h?.close();
  await t?.drop();
});

const tollgateWrites = (id: string) =>
  sf.org.history("Lead", id, "Status").filter((r) => r["CreatedById"] === sf.tollgateUser.id).length;

describe("Salesforce reconciliation (the CDC event never arrives)", () => {
  it(
    "reverts an agent write whose event was never delivered within one interval, once",
    { timeout: 60_000 },
    async () => {
      const [id] = sf.org.seed("Lead", [{ LastName: "Lost", Company: "Acme", Status: "Open - Not Contacted" }]);
      sf.org.streaming.withhold();
      sf.org.write("Lead", id!, { Status: "Closed - Converted" }, sf.users.enrichment.id);
      sf.org.streaming.withhold(false);
      // One interval for the sweep to come round, one for it and the revert to run on a loaded machine.
      await waitFor(
        () => sf.org.getRecord("Lead", id!)!["Status"] === "Open - Not Contacted",
        (INTERVAL_S * 2 + 3) * 1000,
        "the revert",
      );
      const { events } = await h.tollgate.services.audit.query({ tenantId: sf.org.orgId, objectId: id!, limit: 20 });
      expect(events.filter((e) => e.decision?.outcome === "deny")).toHaveLength(1);
      // Later sweeps (and the CDC echo of the revert) find nothing new to do.
      await new Promise((r) => setTimeout(r, INTERVAL_S * 2000));
      await sf.settle();
      expect(tollgateWrites(id!)).toBe(1);
      expect(sf.org.getRecord("Lead", id!)!["Status"]).toBe("Open - Not Contacted");
    },
  );
});

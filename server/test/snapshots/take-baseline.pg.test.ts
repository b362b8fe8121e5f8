import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import { createHubSpotSandbox, type HubSpotSandbox } from "../../sandbox/hubspot/index.js";
import { createSnapshotStore, propertyKey, takeBaseline } from "../../src/snapshots/index.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

let t: TestDatabase;
let sandbox: HubSpotSandbox;

beforeAll(async () => {
  t = await createTestDatabase({ only: ["004", "015_record_values_sealed"] });
  sandbox = await createHubSpotSandbox({ clientSecret: HUBSPOT_TEST_CLIENT_SECRET, appId: 7777, portalId: 62515 });
  sandbox.seed(
    "contacts",
    Array.from({ length: 250 }, (_, i) => ({
      id: String(1000 + i),
      properties: { lifecyclestage: i % 2 ? "lead" : "customer", email: `c${i}@x.example` },
    })),
  );
});
afterAll(async () => {
  await sandbox.close();
  await t.drop();
});

describe("takeBaseline", () => {
  it("pages through every record (100 a call) and records each governed value as trusted", async () => {
    const snapshots = createSnapshotStore(t.db);
    const connector = createHubSpotConnector({
      accessToken: sandbox.tokens.issue({ appId: 7777 }),
      portalId: 62515,
      baseUrl: sandbox.url,
    });
    const before = sandbox.stats().calls["GET /crm/v3/objects/:type"] ?? 0;
    const result = await takeBaseline({ connector, snapshots, objectType: "contacts", properties: ["lifecyclestage"] });
    expect(result).toEqual({ objectType: "contacts", records: 250, values: 250, calls: 3 });
    expect((sandbox.stats().calls["GET /crm/v3/objects/:type"] ?? 0) - before).toBe(3);
    const ref = { objectType: "contacts", objectId: "1001", property: "lifecyclestage" };
    const prior = await snapshots.trustedValuesBefore("62515", [{ ...ref, before: new Date(Date.now() + 60_000) }]);
    expect(prior.get(propertyKey(ref))).toMatchObject({ value: "lead", actorType: "baseline", trusted: true });
  });
});

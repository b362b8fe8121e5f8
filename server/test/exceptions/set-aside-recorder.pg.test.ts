import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExceptionStore, createSetAsideRecorder } from "../../src/exceptions/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { newTenantId } from "../helpers/wait-for.js";

// What the runtime hands the webhook workers as `onSetAside` (runtime/assemble-ingestion.ts): input
// that can never succeed is set aside visibly — an exception for a person and a metric — never dropped.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("a webhook receipt set aside", () => {
  it("opens a webhook_set_aside exception naming the receipt and counts it in the webhook metric", async () => {
    const tenantId = newTenantId();
    const exceptions = createExceptionStore(t.db);
    const metrics = createMetrics({ defaultMetrics: false });
    const record = createSetAsideRecorder({
      exceptions,
      db: t.db,
      metrics,
      logger: createLogger({ level: "silent" }),
    });
    await record({ tenantId, receiptId: "hs-broken", issue: "malformed webhook job hs-broken: no rows" });

    const [open] = await exceptions.list(tenantId);
    expect(open).toMatchObject({ kind: "webhook_set_aside", state: "open" });
    expect(open!.summary).toContain("hs-broken");
    const counted = (await metrics.webhookEvents.get()).values.find((v) => v.labels.result === "set_aside");
    expect(counted?.value).toBe(1);
  });
});

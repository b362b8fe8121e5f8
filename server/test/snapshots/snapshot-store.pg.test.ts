import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSnapshotStore, propertyKey, type ObservedValue, type SnapshotStore } from "../../src/snapshots/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

let t: TestDatabase;
let store: SnapshotStore;

const base = {
  tenantId: "62515",
  crm: "hubspot",
  objectType: "contacts",
  objectId: "101",
  property: "jobtitle",
} as const;
const at = (iso: string) => new Date(`2026-01-01T${iso}Z`);
function value(v: string | null, time: string, over: Partial<ObservedValue> = {}): ObservedValue {
  return {
    ...base,
    value: v,
    occurredAt: at(time),
    actorType: "human",
    actorId: "userId:7",
    trusted: true,
    eventKey: `k-${time}-${v}`,
    ...over,
  };
}

beforeAll(async () => {
  t = await createTestDatabase({ only: ["004", "015_record_values_sealed"] });
  store = createSnapshotStore(t.db);
  await store.record([
    value("CFO", "10:00:00", { actorType: "baseline", actorId: null }),
    value("VP Finance", "11:00:00"),
    value("Chief Hype Officer", "12:00:00", { actorType: "agent", actorId: "enrichment-bot", trusted: false }),
    value("Intern", "13:00:00", { objectId: "102" }),
  ]);
});
afterAll(async () => t.drop());

describe("snapshot store", () => {
  it("finds the latest trusted value before a time, skipping untrusted agent values", async () => {
    const late = await store.trustedValuesBefore("62515", [{ ...base, before: at("12:30:00") }]);
    expect(late.get(propertyKey(base))).toMatchObject({ value: "VP Finance", actorType: "human" });
    const early = await store.trustedValuesBefore("62515", [{ ...base, before: at("10:30:00") }]);
    expect(early.get(propertyKey(base))).toMatchObject({ value: "CFO", actorType: "baseline" });
  });

  it("reports nothing when no value before the time is known", async () => {
    const none = await store.trustedValuesBefore("62515", [{ ...base, before: at("09:00:00") }]);
    expect(none.size).toBe(0);
  });

  it("gives the latest value whoever wrote it", async () => {
    const latest = await store.latestValues("62515", [
      base,
      { ...base, objectId: "102" },
      { ...base, objectId: "999" },
    ]);
    expect(latest.get(propertyKey(base))).toMatchObject({
      value: "Chief Hype Officer",
      actorType: "agent",
      trusted: false,
    });
    expect(latest.get(propertyKey({ ...base, objectId: "102" }))?.value).toBe("Intern");
    expect(latest.has(propertyKey({ ...base, objectId: "999" }))).toBe(false);
  });

  it("ignores a value recorded twice under one event key (webhook retries)", async () => {
    await store.record([
      value("Dup", "14:00:00", { eventKey: "same" }),
      value("Dup again", "15:00:00", { eventKey: "same" }),
    ]);
    const latest = await store.latestValues("62515", [base]);
    expect(latest.get(propertyKey(base))?.value).toBe("Dup");
  });

  it("keeps tenants apart", async () => {
    const other = await store.latestValues("other-portal", [base]);
    expect(other.size).toBe(0);
  });
});

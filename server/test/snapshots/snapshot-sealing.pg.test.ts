import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenCipher } from "../../src/install/index.js";
import { createSnapshotStore, propertyKey, type ObservedValue } from "../../src/snapshots/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

// Sealing at the store, the one place every writer (webhook, history read, baseline) records
// through: what is sealed, what stays clear, and what a key rotation does to it.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ only: ["004", "015_record_values_sealed"] });
});
afterAll(async () => t.drop());

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const definedSensitive = new Set(["national_id"]);
const isSensitive = async (_t: string, _o: string, property: string) => definedSensitive.has(property);

function observed(property: string, value: string | null, over: Partial<ObservedValue> = {}): ObservedValue {
  return {
    tenantId: "seal-1",
    crm: "hubspot",
    objectType: "contacts",
    objectId: "101",
    property,
    value,
    occurredAt: new Date("2026-01-01T10:00:00Z"),
    actorType: "human",
    actorId: "userId:7",
    trusted: true,
    eventKey: `${property}-${value}`,
    ...over,
  };
}

async function stored(property: string): Promise<{ value: string | null; sealed: boolean }> {
  const { rows } = await t.db.query<{ value: string | null; sealed: boolean }>(
    "SELECT value, sealed FROM record_values WHERE tenant_id = 'seal-1' AND property = $1",
    [property],
  );
  return rows[0]!;
}

describe("sealed snapshots", () => {
  it("seals values marked sensitive by the webhook or the definition, keeps others clear, and opens them on read", async () => {
    const store = createSnapshotStore(t.db, { sealing: { cipher: createTokenCipher({ key: OLD_KEY }), isSensitive } });
    await store.record([
      observed("national_id", "078-05-1120"),
      observed("ssn_note", "marked by webhook", { sensitive: true }),
      observed("jobtitle", "CFO"),
    ]);
    expect(await stored("national_id")).toMatchObject({ sealed: true, value: expect.stringMatching(/^tg1:/) });
    expect(await stored("ssn_note")).toMatchObject({ sealed: true, value: expect.stringMatching(/^tg1:/) });
    expect(await stored("jobtitle")).toEqual({ sealed: false, value: "CFO" });
    const refs = ["national_id", "ssn_note", "jobtitle"].map((property) => ({
      objectType: "contacts",
      objectId: "101",
      property,
      before: new Date("2026-01-02T00:00:00Z"),
    }));
    const read = await store.trustedValuesBefore("seal-1", refs);
    expect(refs.map((r) => read.get(propertyKey(r))?.value)).toEqual(["078-05-1120", "marked by webhook", "CFO"]);
  });

  it("a rotated key still opens with the previous key listed; without it the value is unknown", async () => {
    const ref = { objectType: "contacts", objectId: "101", property: "national_id" };
    const rotated = createSnapshotStore(t.db, {
      sealing: { cipher: createTokenCipher({ key: NEW_KEY, previousKeys: [OLD_KEY] }), isSensitive },
    });
    expect((await rotated.latestValues("seal-1", [ref])).get(propertyKey(ref))?.value).toBe("078-05-1120");
    const keyLost = createSnapshotStore(t.db, {
      sealing: { cipher: createTokenCipher({ key: NEW_KEY }), isSensitive },
    });
    expect((await keyLost.latestValues("seal-1", [ref])).has(propertyKey(ref))).toBe(false);
    // Another tenant's row holding this ciphertext does not open it either.
    const ciphertext = (await stored("national_id")).value;
    await t.db.query(
      `INSERT INTO record_values (tenant_id, crm, object_type, object_id, property, value, occurred_at, actor_type, trusted, event_key, sealed)
       VALUES ('seal-2', 'hubspot', 'contacts', '101', 'national_id', $1, now(), 'human', true, 'copied', true)`,
      [ciphertext],
    );
    expect((await rotated.latestValues("seal-2", [ref])).has(propertyKey(ref))).toBe(false);
  });
});

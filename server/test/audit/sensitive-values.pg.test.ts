import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, deriveCheckpointKey, type AuditLog } from "../../src/audit/index.js";
import { changeEventBase } from "../../src/enforce/audit-inputs.js";
import { toCrmChange } from "../../src/webhooks/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { newTenant, TEST_ENCRYPTION_KEY } from "./support.js";

// Issue 9, finding 8: a value HubSpot marks `isSensitive` must never reach the permanent audit
// log. The attack: whoever reads the audit (an auditor key, an export, the SIEM) looks for it.

const SSN = "078-05-1120";
let t: TestDatabase;
let audit: AuditLog;

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db, { signingSeed: deriveCheckpointKey(TEST_ENCRYPTION_KEY).seed });
});
afterAll(async () => t?.drop());

/** A webhook change HubSpot marked sensitive, as enforcement would audit it. */
function sensitiveWrite(tenant: string, value: string) {
  const change = toCrmChange({
    crm: "hubspot",
    tenantId: tenant,
    subscriptionType: "contact.propertyChange",
    kind: "property_change",
    objectType: "contact",
    crmObjectType: "contact",
    objectId: "101",
    property: "national_id",
    value,
    occurredAt: Date.UTC(2026, 0, 5),
    eventId: "77",
    sensitive: true,
    dedupeKey: `${tenant}|77`,
  });
  expect(change.sensitive).toBe(true);
  return {
    ...changeEventBase(change, { type: "human", id: "user:7", via: "hubspot:user:7" }),
    field_diffs: [{ field: "national_id", before: "000-00-0000", after: value }],
    diff_summary: `national_id: 000-00-0000 → ${value}`,
  };
}

describe("isSensitive values are hashed, never stored (finding 8)", () => {
  it("keeps the field name and a keyed hash; the value is nowhere in the stored row or an export", async () => {
    const tenant = newTenant("sens");
    const stored = await audit.append(sensitiveWrite(tenant, SSN));
    expect(stored.sensitive_fields).toEqual(["*"]);
    expect(stored.field_diffs[0]).toMatchObject({
      field: "national_id",
      after: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
      before: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
    });
    expect(stored.diff_summary).toBe("* changed (sensitive: values hashed)");
    const { rows } = await t.db.query<{ text: string }>(
      "SELECT event::text AS text FROM audit_events WHERE tenant_id = $1",
      [tenant],
    );
    expect(rows[0]!.text).not.toContain(SSN);
    let exported = "";
    for await (const line of audit.exportJsonl({ tenantId: tenant })) exported += line;
    expect(exported).not.toContain(SSN);
    expect(await audit.verify(tenant)).toMatchObject({ ok: true });
  });

  it("equal values hash alike (changes stay comparable), different ones do not", async () => {
    const tenant = newTenant("sens2");
    const a = await audit.append(sensitiveWrite(tenant, SSN));
    const b = await audit.append(sensitiveWrite(tenant, SSN));
    const c = await audit.append(sensitiveWrite(tenant, "219-09-9999"));
    expect(a.field_diffs[0]!.after).toBe(b.field_diffs[0]!.after);
    expect(c.field_diffs[0]!.after).not.toBe(a.field_diffs[0]!.after);
  });

  it("a change not marked sensitive keeps its values", async () => {
    const tenant = newTenant("plain");
    const input = sensitiveWrite(tenant, "x");
    delete input.sensitive_fields;
    const stored = await audit.append(input);
    expect(stored.field_diffs[0]!.after).toBe("x");
  });
});

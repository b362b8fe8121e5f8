import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import { enforceChanges, type CrmChange, type EnforcementDeps } from "../../src/enforce/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import type { CrmWriteQueue } from "../../src/writes/index.js";
import { createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { openUnsentWriteQueue, testEnforcementDeps } from "../helpers/enforcement-test-deps.js";

const TENANT = "778";
let t: TestDatabase;
let audit: AuditLog;
let writes: CrmWriteQueue;
let closeWrites: () => Promise<void>;
let historyReads = 0;

function deps(): EnforcementDeps {
  return testEnforcementDeps({
    db: t.db,
    audit,
    writes,
    policy: loadPolicy(readFileSync("manifests/policy.yaml", "utf8")),
    readRecords: async () => {
      historyReads++;
      return [];
    },
    now: () => new Date("2026-03-02T10:00:00Z"),
  });
}

const change = (eventKey: string, value: string, at: string, sourceId: string): CrmChange => ({
  tenantId: TENANT,
  crm: "hubspot",
  objectType: "contacts",
  policyObject: "contact",
  objectId: "901",
  kind: "property_change",
  property: "hs_lead_status",
  value,
  occurredAt: new Date(`2026-03-02T${at}Z`),
  eventKey,
  source: { changeSource: sourceId.startsWith("userId:") ? "CRM_UI" : "INTEGRATION", sourceId },
});

const count = async (table: "record_values" | "crm_writes" | "processed_events") =>
  Number(
    (await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [TENANT])).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db);
  ({ writes, close: closeWrites } = await openUnsentWriteQueue({
    db: t.db,
    audit,
    prefix: testPrefix("snapshots-tx"),
  }));
});
afterAll(async () => {
  await closeWrites();
  await t.drop();
});

describe("record snapshots and the enforcement decision", () => {
  it("commit together: a transaction that fails after planning leaves no snapshot, and the retry writes each once", async () => {
    // A person set the field, then the agent overwrote it, in one batch: the revert is planned
    // from the person's value in this very batch, not from the CRM's history.
    const batch = [
      change("e-person", "NEW", "08:00:00", "userId:42"),
      change("e-agent", "OPEN", "09:00:00", "1000002"),
    ];
    const failing = enforceChanges(deps(), TENANT, batch, {
      inTransaction: async () => {
        throw new Error("PostgreSQL went away mid-transaction");
      },
    });
    await expect(failing).rejects.toThrow("went away");
    expect({
      snapshots: await count("record_values"),
      writes: await count("crm_writes"),
      processed: await count("processed_events"),
    }).toEqual({ snapshots: 0, writes: 0, processed: 0 });

    const retry = await enforceChanges(deps(), TENANT, batch);
    expect(retry.reverted).toBe(1);
    const { rows } = await t.db.query<{ event_key: string; value: string; trusted: boolean }>(
      "SELECT event_key, value, trusted FROM record_values WHERE tenant_id = $1 ORDER BY occurred_at",
      [TENANT],
    );
    expect(rows).toEqual([
      { event_key: "e-person", value: "NEW", trusted: true },
      { event_key: "e-agent", value: "OPEN", trusted: false },
    ]);
    const { rows: reverts } = await t.db.query<{ properties: Record<string, string> }>(
      "SELECT properties FROM crm_writes WHERE tenant_id = $1 AND purpose = 'revert'",
      [TENANT],
    );
    expect(reverts).toEqual([{ properties: { hs_lead_status: "NEW" } }]);
    expect(historyReads).toBe(0);
  });
});

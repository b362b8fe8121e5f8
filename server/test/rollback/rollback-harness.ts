import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import { createConflictGuard, enforceChanges, type CrmChange } from "../../src/enforce/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import { createRollbackService, type RollbackService } from "../../src/rollback/index.js";
import { createSnapshotStore, type SnapshotStore } from "../../src/snapshots/index.js";
import { createCrmWriteQueue, type CrmWriteQueue, type CrmWriteRow } from "../../src/writes/index.js";
import { InMemoryCrm } from "../writes/in-memory-crm.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { testEnforcementDeps } from "../helpers/enforcement-test-deps.js";

export const POLICY_YAML = readFileSync("test/fixtures/policies/rollback-policy.yaml", "utf8");
export const AGENT_APP = "1000002"; // enrichment-bot
export const OTHER_AGENT_APP = "1000001"; // prospecting-bot
export const REP = "userId:42";
export const OWNER = { type: "human" as const, id: "olivia", role: "owner", via: "api_key" };

export interface RollbackHarness {
  t: TestDatabase;
  audit: AuditLog;
  snapshots: SnapshotStore;
  writes: CrmWriteQueue;
  crm: InMemoryCrm;
  rollback: RollbackService;
  /** While true, rollback writes stay pending (to let a person edit before they are sent). */
  holdRollbacks: { on: boolean };
  settled: CrmWriteRow[];
  /** Enforce one change the way the webhook worker does. */
  change(c: { objectId: string; property: string; value: string | null; at: string; sourceId: string }): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

/** Real PostgreSQL schema, real Redis prefix, the real write queue (started) over an in-memory CRM. */
export async function startRollbackHarness(tenantId: string): Promise<RollbackHarness> {
  const t = await createTestDatabase();
  const audit = await createAuditLog(t.db);
  const snapshots = createSnapshotStore(t.db);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const crm = new InMemoryCrm(tenantId);
  const holdRollbacks = { on: false };
  const settled: CrmWriteRow[] = [];
  // The queue is built before the service that chains its onSettled hook.
  const chained: { rollback?: RollbackService } = {};
  const writes = await createCrmWriteQueue({
    db: t.db,
    redis,
    prefix: testPrefix("rollback"),
    audit,
    // While `holdRollbacks` is on no flush reaches the CRM (the test's person edits meanwhile).
    connectorFor: async () => {
      while (holdRollbacks.on) await new Promise((r) => setTimeout(r, 10));
      return crm;
    },
    guard: createConflictGuard(snapshots),
    onSettled: async (rows) => {
      settled.push(...rows);
      await chained.rollback?.onWritesSettled(rows);
    },
  });
  await writes.start();
  const rollback = createRollbackService({ db: t.db, audit, writes, snapshots });
  chained.rollback = rollback;

  const policy = loadPolicy(POLICY_YAML);
  const deps = testEnforcementDeps({
    db: t.db,
    audit,
    writes,
    policy,
    snapshots,
    readRecords: async (_tenant, objectType, ids, props) => crm.readRecords(objectType, ids, props),
    now: () => new Date("2026-03-02T12:00:00Z"),
  });

  return {
    t,
    audit,
    snapshots,
    writes,
    crm,
    rollback,
    holdRollbacks,
    settled,
    async change({ objectId, property, value, at, sourceId }) {
      seq++;
      const c: CrmChange = {
        tenantId,
        crm: "hubspot",
        objectType: "contacts",
        policyObject: "contact",
        objectId,
        kind: "property_change",
        property,
        value,
        occurredAt: new Date(`2026-03-02T${at}Z`),
        eventKey: `rb-${seq}-${Math.random()}`,
        source: { changeSource: sourceId.startsWith("userId:") ? "CRM_UI" : "INTEGRATION", sourceId },
      };
      await enforceChanges(deps, tenantId, [c]);
      // The agent's value is in the CRM now, as the webhook said.
      if (!sourceId.startsWith("7777")) crm.set("contacts", objectId, { [property]: value ?? "" });
      // While rollbacks are held back nothing can drain; the person's edit itself queues no write.
      if (!holdRollbacks.on) await writes.drain(tenantId, { timeoutMs: 10_000 });
    },
    async close() {
      await writes.close();
      redis.disconnect();
      await t.drop();
    },
  };
}

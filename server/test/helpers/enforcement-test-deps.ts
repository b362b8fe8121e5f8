import { Redis } from "ioredis";
import { createApprovalStore } from "../../src/approvals/index.js";
import type { AuditLog } from "../../src/audit/index.js";
import type { Database } from "../../src/db/index.js";
import { createPolicyPort, type EnforcementDeps } from "../../src/enforce/index.js";
import { createExceptionStore } from "../../src/exceptions/index.js";
import type { CompiledPolicy } from "../../src/policy/index.js";
import { createSnapshotStore } from "../../src/snapshots/index.js";
import { createCrmWriteQueue, type CrmWriteQueue } from "../../src/writes/index.js";
import { TEST_REDIS_URL } from "./test-database.js";

/**
 * A CRM write queue that is never started, on its own Redis connection: the intents enforcement
 * records stay in PostgreSQL for the test to read, and nothing is sent (a CRM call would throw).
 */
export async function openUnsentWriteQueue(options: {
  db: Database;
  audit: AuditLog;
  prefix: string;
}): Promise<{ writes: CrmWriteQueue; close(): Promise<void> }> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const writes = await createCrmWriteQueue({
    ...options,
    redis,
    connectorFor: async () => {
      throw new Error("no CRM in this suite");
    },
  });
  return {
    writes,
    async close() {
      await writes.close();
      redis.disconnect();
    },
  };
}

/**
 * Enforcement's dependencies over a test database: the real stores, one policy for every tenant,
 * approvals opened without timers, and Tollgate's own HubSpot app as 7777. `readRecords` and the
 * rest (`now`, `guard`, another snapshot store) are the suite's.
 */
export function testEnforcementDeps(
  o: { db: Database; audit: AuditLog; writes: CrmWriteQueue; policy: CompiledPolicy } & Pick<
    EnforcementDeps,
    "readRecords" | "now"
  > &
    Partial<Pick<EnforcementDeps, "snapshots" | "guard">>,
): EnforcementDeps {
  const { db, audit, writes, policy, readRecords, now, snapshots, guard } = o;
  return {
    db,
    audit,
    snapshots: snapshots ?? createSnapshotStore(db),
    writes,
    approvals: { create: (a, opts) => createApprovalStore(db).create(a, opts), scheduled: async () => undefined },
    exceptions: createExceptionStore(db),
    policyFor: () => createPolicyPort(policy),
    readRecords,
    self: { hubspotAppId: "7777" },
    now,
    ...(guard ? { guard } : {}),
  };
}

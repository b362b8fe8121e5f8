import { Redis } from "ioredis";
import { deleteKeysUnder } from "../../src/redis/index.js";
import type { AuditEvent } from "../../../shared/index.js";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import type { Database } from "../../src/db/index.js";
import {
  createCrmWriteQueue,
  type CrmWriteQueue,
  type CrmWriteQueueOptions,
  type CrmWriteRow,
} from "../../src/writes/index.js";
import { toCrmWriteRow, type CrmWriteRecord } from "../../src/writes/to-crm-write-row.js";
import {
  createTestDatabase,
  testPrefix,
  testRedisOptions,
  TEST_REDIS_URL,
  type TestDatabase,
} from "../helpers/test-database.js";

/** One suite's stores: its own schema, its own BullMQ prefix, the real audit log. */
export interface WriteQueueHarness {
  db: Database;
  audit: AuditLog;
  prefix: string;
  /** Queues opened through `open`, closed by `closeAll`. */
  open(options: Omit<CrmWriteQueueOptions, "db" | "redis" | "prefix" | "audit">): Promise<CrmWriteQueue>;
  closeAll(): Promise<void>;
  /** Closes everything, drops the schema and deletes the suite's Redis keys. */
  teardown(): Promise<void>;
  rows(tenantId: string): Promise<CrmWriteRow[]>;
  /** The `crm_write` result events of a tenant, oldest first. */
  writeEvents(tenantId: string): Promise<AuditEvent[]>;
}

export async function createWriteQueueHarness(name: string): Promise<WriteQueueHarness> {
  const testDb: TestDatabase = await createTestDatabase();
  const { db } = testDb;
  const audit = await createAuditLog(db);
  const prefix = testPrefix(name);
  const opened: CrmWriteQueue[] = [];
  const harness: WriteQueueHarness = {
    db,
    audit,
    prefix,
    async open(options) {
      const queue = await createCrmWriteQueue({ ...options, db, redis: { ...testRedisOptions() }, prefix, audit });
      opened.push(queue);
      return queue;
    },
    async closeAll() {
      await Promise.all(opened.splice(0).map((q) => q.close()));
    },
    async teardown() {
      await harness.closeAll();
      await deleteKeys(prefix);
      await testDb.drop();
    },
    async rows(tenantId) {
      const { rows } = await db.query<CrmWriteRecord>("SELECT * FROM crm_writes WHERE tenant_id = $1 ORDER BY seq", [
        tenantId,
      ]);
      return rows.map(toCrmWriteRow);
    },
    async writeEvents(tenantId) {
      const events: AuditEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await audit.query({ tenantId, limit: 1000, ...(cursor ? { cursor } : {}) });
        events.push(...page.events);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return events.filter((e) => e.action === "crm_write").reverse();
    },
  };
  return harness;
}

/** Deletes the suite's own BullMQ keys (never anything else: other suites share this Redis). */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export { newTenantId, waitFor } from "../helpers/wait-for.js";

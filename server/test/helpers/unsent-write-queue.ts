import { Redis } from "ioredis";
import type { AuditLog } from "../../src/audit/index.js";
import type { Database } from "../../src/db/index.js";
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

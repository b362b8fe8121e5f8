import { Redis } from "ioredis";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import {
  createKillSwitchService,
  type KillSwitchService,
  type KillSwitchServiceOptions,
} from "../../src/killswitch/index.js";
import { createTestDatabase, testPrefix, TEST_REDIS_URL, type TestDatabase } from "../helpers/test-database.js";
import { deleteKeysUnder } from "../../src/redis/index.js";

/** One suite's stores: its own schema, its own Redis prefix, the real audit log. */
export interface KillSwitchHarness {
  t: TestDatabase;
  redis: Redis;
  audit: AuditLog;
  prefix: string;
  service(options?: Partial<KillSwitchServiceOptions>): KillSwitchService;
  /** Deletes every key under the suite's prefix (never anything else). */
  flushPrefix(): Promise<number>;
  teardown(): Promise<void>;
}

export async function createKillSwitchHarness(name: string): Promise<KillSwitchHarness> {
  const t = await createTestDatabase();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const audit = await createAuditLog(t.db);
  const prefix = testPrefix(name);
  const services: KillSwitchService[] = [];
  const flushPrefix = () => deleteKeysUnder(redis, prefix);
  return {
    t,
    redis,
    audit,
    prefix,
    service(options = {}) {
      const s = createKillSwitchService({ db: t.db, redis, prefix, audit, syncIntervalMs: 200, ...options });
      services.push(s);
      return s;
    },
    flushPrefix,
    async teardown() {
      for (const s of services) await s.close();
      await flushPrefix();
      redis.disconnect();
      await t.drop();
    },
  };
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not met in time");
}

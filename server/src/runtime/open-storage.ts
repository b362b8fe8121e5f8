import { join } from "node:path";
import type { Redis } from "ioredis";
import { createAuditLog, createCheckpointSchedule, deriveCheckpointKey, type AuditLog } from "../audit/index.js";
import type { Config } from "../config/index.js";
import { migrate, openDatabase, type Database } from "../db/index.js";
import type { Logger } from "../observability/index.js";
import { connectRedis } from "../redis/index.js";

export interface Storage {
  db: Database;
  redis: Redis;
  auditLog: AuditLog;
  checkpoints: { start(): void; stop(): void } | undefined;
}

/** PostgreSQL (migrated), Redis, the audit log and its signed checkpoints on a schedule. */
export async function openStorage(config: Config, logger: Logger, now: () => Date, db?: Database): Promise<Storage> {
  const opened = db
    ? await migrate(db).then(() => db)
    : await openDatabase({
        url: config.databaseUrl,
        migrationUrl: config.databaseMigrationUrl,
        dataDir: join(config.dataDir, "pglite"),
      });
  const redis = connectRedis(config.redisUrl, logger);
  const key = config.encryptionKey ? deriveCheckpointKey(config.encryptionKey.toString("hex")) : undefined;
  const auditLog = await createAuditLog(opened, key ? { signingSeed: key.seed, now } : { now });
  // Checkpoints are also written as files, to ship off the database host.
  const checkpoints =
    key && config.audit.checkpointIntervalS > 0
      ? createCheckpointSchedule({
          audit: auditLog,
          db: opened,
          dir: config.audit.checkpointDir,
          intervalMs: config.audit.checkpointIntervalS * 1000,
          logger,
        })
      : undefined;
  return { db: opened, redis, auditLog, checkpoints };
}

import { join } from "node:path";
import type { Redis } from "ioredis";
import {
  createAuditJobs,
  createAuditLog,
  deriveCheckpointKey,
  type AuditJobs,
  type AuditLog,
  type CheckpointKey,
} from "../audit/index.js";
import type { Config } from "../config/index.js";
import { createDatabase, migrate, openDatabase, type Database } from "../db/index.js";
import type { Logger } from "../observability/index.js";
import { connectRedis } from "../redis/index.js";

export interface Storage {
  db: Database;
  redis: Redis;
  auditLog: AuditLog;
  key: CheckpointKey | undefined;
  /** Checkpoints, retention and the SIEM stream; set by auditJobsFor once the policies are known. */
  auditJobs?: AuditJobs;
}

/** PostgreSQL (migrated), Redis and the audit log. */
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
  // Keys rotated out still vouch for what they signed (docs/operations.md, rotate keys).
  const previousSigningSeeds = config.previousEncryptionKeys.map((k) => deriveCheckpointKey(k.toString("hex")).seed);
  const auditLog = await createAuditLog(opened, key ? { signingSeed: key.seed, previousSigningSeeds, now } : { now });
  return { db: opened, redis, auditLog, key };
}

/** The audit's background work, configured from the environment; retention reads each tenant's policy. */
export function auditJobsFor(
  config: Config,
  storage: Storage,
  retentionDaysOf: (tenantId: string) => number | undefined,
  logger: Logger,
  now: () => Date,
): AuditJobs {
  return createAuditJobs({
    audit: storage.auditLog,
    db: storage.db,
    key: storage.key,
    intervalS: config.audit.checkpointIntervalS,
    dir: config.audit.checkpointDir,
    retentionDaysOf,
    migrationUrl: config.databaseMigrationUrl,
    streamUrl: config.audit.streamUrl,
    streamAuthorization: config.audit.streamAuthorization,
    retryBaseMs: config.reliability.retryBaseMs,
    retryMaxMs: config.reliability.retryMaxMs,
    openDatabase: (url) => createDatabase({ url, poolSize: 1 }),
    now,
    logger,
  });
}

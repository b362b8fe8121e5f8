import type { Database } from "../db/index.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import { createAuditStream, type AuditStream } from "./create-audit-stream.js";
import { createCheckpointSchedule, type CheckpointSchedule } from "./create-checkpoint-schedule.js";
import { createRetentionSchedule, type RetentionSchedule } from "./create-retention-schedule.js";
import type { AuditLog } from "./types.js";

export interface AuditJobsOptions {
  audit: AuditLog;
  db: Database;
  /** Without it there are no checkpoints and no retention (both sign what they write). */
  key: CheckpointKey | undefined;
  /** `TOLLGATE_CHECKPOINT_INTERVAL_S`: checkpoints and retention rounds; 0 turns both off. */
  intervalS: number;
  /** `TOLLGATE_CHECKPOINT_DIR`: checkpoint files and retention archives. */
  dir: string;
  /** The tenant's policy `audit.retention_days`. */
  retentionDaysOf: (tenantId: string) => number | undefined;
  /** `DATABASE_MIGRATION_URL`: retention removes archived events as the schema owner. */
  migrationUrl: string | undefined;
  /** `TOLLGATE_AUDIT_STREAM_URL`, `TOLLGATE_AUDIT_STREAM_AUTHORIZATION`. */
  streamUrl: string | undefined;
  streamAuthorization: string | undefined;
  retryBaseMs: number;
  retryMaxMs: number;
  openDatabase: (url: string) => Promise<Database>;
  now: () => Date;
  logger: { warn(obj: object, msg: string): void };
}

export interface AuditJobs {
  checkpoints: CheckpointSchedule | undefined;
  /** Always there for `tollgate audit retention`; scheduled only with a key and an interval. */
  retention: RetentionSchedule;
  stream: AuditStream | undefined;
  start(): void;
  stop(): void;
}

/**
 * The audit's background work (docs/operations.md, security): signed checkpoints, retention
 * (never past what the SIEM stream acknowledged) and the stream itself.
 */
export function createAuditJobs(o: AuditJobsOptions): AuditJobs {
  const every = o.intervalS * 1000;
  const scheduled = o.key !== undefined && every > 0;
  const stream = o.streamUrl
    ? createAuditStream({
        db: o.db,
        url: o.streamUrl,
        authorization: o.streamAuthorization,
        retryBaseMs: o.retryBaseMs,
        retryMaxMs: o.retryMaxMs,
        now: o.now,
        logger: o.logger,
      })
    : undefined;
  const checkpoints = scheduled
    ? createCheckpointSchedule({ audit: o.audit, db: o.db, dir: o.dir, intervalMs: every, logger: o.logger })
    : undefined;
  const migrationUrl = o.migrationUrl;
  const retention = createRetentionSchedule({
    audit: o.audit,
    db: o.db,
    dir: o.dir,
    retentionDaysOf: o.retentionDaysOf,
    openOwner: migrationUrl ? () => o.openDatabase(migrationUrl) : undefined,
    deliveredThrough: stream ? (tenantId) => stream.deliveredThrough(tenantId) : undefined,
    now: o.now,
    intervalMs: every || 3_600_000,
    logger: o.logger,
  });
  return {
    checkpoints,
    retention,
    stream,
    start() {
      checkpoints?.start();
      if (scheduled) retention.start();
      stream?.start();
    },
    stop() {
      checkpoints?.stop();
      retention.stop();
      stream?.stop();
    },
  };
}

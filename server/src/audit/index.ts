export { createAuditLog } from "./create-audit-log.js";
export type {
  AuditLog,
  AuditLogOptions,
  AppendOptions,
  AuditPage,
  AuditCheckpoint,
  ExportVerifyResult,
} from "./types.js";
export { computeEventHash, GENESIS_HASH } from "./compute-event-hash.js";
export { verifyCheckpoint } from "./verify-checkpoint.js";
export { verifyExport } from "./verify-export.js";
export { deriveCheckpointKey } from "./checkpoint-key.js";
export type { CheckpointKey } from "./checkpoint-key.js";
export { isSecretKey, redactInline, REDACTED } from "./redact-secrets.js";
export { createCheckpointSchedule } from "./create-checkpoint-schedule.js";
export type { CheckpointSchedule, CheckpointScheduleOptions } from "./create-checkpoint-schedule.js";
export { AUDIT_CHECKPOINT_ACTION } from "./record-checkpoint.js";
export { createRetentionSchedule } from "./create-retention-schedule.js";
export type { RetentionSchedule, RetentionScheduleOptions } from "./create-retention-schedule.js";
export type { RetentionRequest, RetentionResult } from "./apply-retention.js";
export { AUDIT_RETENTION_ACTION, type AuditTombstone } from "./tombstone.js";
export { verifyArchive, type ArchiveVerifyResult } from "./verify-archive.js";
export { createAuditStream } from "./create-audit-stream.js";
export type { AuditStream, AuditStreamOptions } from "./create-audit-stream.js";
export { createAuditJobs } from "./create-audit-jobs.js";
export type { AuditJobs, AuditJobsOptions } from "./create-audit-jobs.js";

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

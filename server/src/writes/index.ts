export { createCrmWriteQueue } from "./create-crm-write-queue.js";
export { WRITE_PURPOSES, WRITE_STATUSES, plannedWriteSchema } from "./planned-write.js";
export type { PlannedWrite, WritePurpose, WriteStatus } from "./planned-write.js";
export type {
  AuditSink,
  CrmWriteQueue,
  CrmWriteQueueOptions,
  CrmWriteRow,
  WriteCancel,
  WriteCanceller,
  WriteStats,
} from "./types.js";
export { createSettledListeners } from "./create-settled-listeners.js";

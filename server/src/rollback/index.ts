export { createRollbackService } from "./create-rollback-service.js";
export { rollbackRequestSchema } from "./rollback-request.js";
export type { RollbackRequest, RollbackRequestInput } from "./rollback-request.js";
export { planRestores } from "./plan-restores.js";
export type { PriorValue, RestorePlan } from "./plan-restores.js";
export { groupChanges } from "./group-changes.js";
export { ROLLBACK_JOB_STATES } from "./types.js";
export type {
  AgentChange,
  PlannedRestore,
  RollbackConflict,
  UnrestorableChange,
  RollbackPlan,
  RollbackJob,
  RollbackJobState,
  RollbackService,
  RollbackServiceOptions,
  RollbackWritesPort,
  RollbackAuditPort,
  SettledWrite,
  HistoryRecord,
} from "./types.js";

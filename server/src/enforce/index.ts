export { enforceChanges } from "./enforce-changes.js";
export type { EnforcementSummary, EnforceOptions } from "./enforce-changes.js";
export { attributeChange, isOwnWrite } from "./attribute-change.js";
export { classifyChange } from "./classify-change.js";
export type { ChangeStep } from "./classify-change.js";
export type {
  CrmChange,
  Actor,
  DeclaredAgent,
  PolicyPort,
  AuditPort,
  WritesPort,
  PlannedCrmWrite,
  ApprovalsPort,
  NewApproval,
  ExceptionsPort,
  NewException,
  EnforcementDeps,
  FieldWriteInput,
  DecisionState,
  GuardPort,
  GuardedWrite,
  GuardedOutcome,
  ConsumeOutcome,
} from "./types.js";
export { createPolicyPort } from "./create-policy-port.js";
export { proposalRiskFlags } from "./decide-proposals.js";
export type { Provenance } from "./decide-proposals.js";
export { createConflictGuard } from "./create-conflict-guard.js";

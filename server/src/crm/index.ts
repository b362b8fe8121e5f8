export type {
  CrmConnector,
  CrmRecord,
  PropertyHistoryEntry,
  RecordWrite,
  RecordFilter,
  RecordSearch,
  WriteResult,
  PropertyDefinition,
  RateLimitState,
  CrmUser,
  UserFreeze,
  NewCrmTask,
} from "./connector.js";
export { CrmError, CRM_ERROR_CODES, crmErrorCodeForStatus } from "./errors.js";
export type { CrmErrorCode } from "./errors.js";
export { msUntilNextCall } from "./ms-until-next-call.js";
export type { PacingOptions } from "./ms-until-next-call.js";
export { createPropertyLookup } from "./create-property-lookup.js";
export type { PropertyLookup, PropertyLookupOptions } from "./create-property-lookup.js";
export { createCrmRateBudget } from "./create-crm-rate-budget.js";
export type { BudgetedCall, CrmRateBudget, CrmRateBudgetOptions } from "./create-crm-rate-budget.js";

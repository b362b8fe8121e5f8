export { createHttpApp } from "./create-http-app.js";
export type { HttpAppOptions } from "./create-http-app.js";
export { createApiKeyAuthenticator, requireRole, principalOf, HUMAN_ROLES, POLICY_EDITORS } from "./authenticate.js";
export type { Principal } from "./authenticate.js";
export {
  verifyCardRequest,
  readCardQuery,
  authorizeCardOrKey,
  CardSignatureError,
  PortalNotInstalledError,
  CrmUserUnavailableError,
  CARD_IDENTITY_PARAMS,
} from "./card-auth.js";
export { createCrmUserLookup } from "./create-crm-user-lookup.js";
export { createFieldLabelLookup, withFieldLabels, type FieldLabelLookup } from "./create-field-labels.js";
export { toRefusalEvent, createRefusalAuditor } from "./audit-refusal.js";
export { cardAuthOf } from "./card-auth-of.js";
export { tenantOf, ANY_TENANT } from "./tenant-of.js";
export { createPermitRouter } from "./routes/permit-routes.js";
export { createAgentTokenRouter } from "./routes/agent-token-routes.js";
export type { CardAuthOptions, CardContext } from "./card-auth.js";
export { createErrorHandler, notFoundHandler } from "./error-handler.js";
export { requireAgentNotKilled } from "./require-agent-not-killed.js";
export { createActionRouter } from "./routes/action-routes.js";
export type { ActionRoutesOptions } from "./routes/action-routes.js";
export { createApprovalRouter } from "./routes/approval-routes.js";
export type { ApprovalRoutesOptions } from "./routes/approval-routes.js";
export { createAuditRouter } from "./routes/audit-routes.js";
export { createExceptionRouter } from "./routes/exception-routes.js";
export { createGovernanceRouter } from "./routes/governance-routes.js";
export { createKillSwitchRouter } from "./routes/kill-switch-routes.js";
export { createMcpRouter } from "./routes/mcp-routes.js";
export type { McpRoutesOptions } from "./routes/mcp-routes.js";
export { createPolicyRouter } from "./routes/policy-routes.js";
export { createProvenanceRouter } from "./routes/provenance-routes.js";
export { createQaRouter } from "./routes/qa-routes.js";
export { createRollbackRouter } from "./routes/rollback-routes.js";
export { createReplayRouter } from "./routes/replay-routes.js";
export { createSignalRouter } from "./routes/signal-routes.js";
export { createGoldenRouter } from "./routes/golden-routes.js";
export { createSetupRouter } from "./routes/setup-routes.js";
export { createCardPageRouter } from "./routes/card-page-routes.js";
export type { CardPageRoutesOptions } from "./routes/card-page-routes.js";

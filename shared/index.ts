// The wire schemas and names that the server, the cards' scripts, tests and benchmarks share.
// Import from here, never from a file beside it (docs/architecture.md#dependency-rules).
export { OUTCOMES, TIERS, decisionSchema } from "./decision.js";
export type { Outcome, Tier, Decision } from "./decision.js";
export {
  POLICY_OBJECTS,
  CRMS,
  HUBSPOT_OBJECTS,
  SALESFORCE_OBJECTS,
  findHubSpotObject,
  toStoredHubSpotObjectType,
  toPolicyObject,
  toCrmObjectType,
} from "./crm-objects.js";
export type { PolicyObject, CrmName } from "./crm-objects.js";
export {
  PROVENANCE_FIELDS,
  HUBSPOT_PROVENANCE_NAMES,
  SALESFORCE_PROVENANCE_NAMES,
  SHADOW_PREFIX_HUBSPOT,
  SHADOW_PREFIX_SALESFORCE,
  isProvenanceField,
  hubspotShadowName,
  salesforceShadowName,
  canonicalOfHubspotShadow,
} from "./fields.js";
export type { ProvenanceKey } from "./fields.js";
export {
  ACTOR_TYPES,
  auditEventInputSchema,
  auditEventSchema,
  auditQuerySchema,
  auditVerifyResultSchema,
  AUDIT_OUTCOMES,
  summarizeDiff,
} from "./audit-event.js";
export type { AuditEvent, AuditEventInput, AuditActor, AuditQuery, AuditVerifyResult } from "./audit-event.js";
export { canonicalJson, sha256Hex } from "./canonical-json.js";
export { ACTION_VERBS, actionRequestSchema } from "./action.js";
export type { ActionPayload, ActionRequest, ActionResponse, ActionPermit } from "./action.js";
export {
  APPROVAL_BATCH_MAX,
  APPROVAL_OUTCOMES,
  APPROVAL_STATUSES,
  approvalBatchBodySchema,
  approvalBatchItemSchema,
  approvalBatchResultSchema,
  approvalDecisionResponseSchema,
  approvalListSchema,
  approvalSchema,
  approvalMessageSchema,
  approveBodySchema,
  rejectBodySchema,
} from "./approval.js";
export type { Approval, ApprovalBatchResult, ApprovalMessage } from "./approval.js";
export { provenanceChangeSchema, provenancePageSchema, provenanceQuerySchema } from "./provenance.js";
export type { ProvenanceChange, ProvenancePage } from "./provenance.js";
export { ENFORCEMENT_TRIGGER_METRICS, killSwitchRequestSchema } from "./kill-switch.js";
export {
  CONTAINMENT_POINTS,
  CONTAINMENT_POINT_STATES,
  CONTAINMENT_STATUSES,
  containmentPointSchema,
  containmentReportSchema,
} from "./containment.js";
export type {
  ContainmentPoint,
  ContainmentPointName,
  ContainmentPointState,
  ContainmentReport,
} from "./containment.js";
export type { KillSwitchRequest, KillSwitchStateName } from "./kill-switch.js";
export { WEEKDAYS, durationToMs, policyManifestSchema } from "./policy-manifest.js";
export type {
  ExceptionCondition,
  ExceptionEffect,
  KillSwitchScope,
  KillSwitchTrigger,
  PolicyAction,
  PolicyAutoIf,
  PolicyExceptionData,
  PolicyManifest,
  PolicyQa,
  PolicyRoleCaps,
  PolicyRule,
  PolicyRuleCap,
  PolicyWindow,
  Weekday,
  ApproverGroup,
} from "./policy-manifest.js";
export { permitDigest, permitVerifyRequestSchema, permitVerifyResponseSchema, PERMIT_REFUSALS } from "./permit.js";
export type { PermitSubject, PermitVerifyRequest, PermitVerifyResponse } from "./permit.js";
export {
  CHANGE_TYPES,
  changeEventHeaderSchema,
  salesforceChangeEventSchema,
  salesforceWebhookBodySchema,
} from "./salesforce-change-event.js";
export type { ChangeEventHeader, SalesforceChangeEvent, SalesforceWebhookBody } from "./salesforce-change-event.js";
export {
  SALESFORCE_CARD_CONTEXT_HEADER,
  SALESFORCE_CARD_SIGNATURE_HEADER,
  formatSalesforceCardSignature,
  getSalesforceCardSigningBytes,
  parseSalesforceCardSignature,
  signSalesforceCardRequest,
} from "./salesforce-card-signature.js";
export type { SalesforceCardRequestParts } from "./salesforce-card-signature.js";
export { replayRequestSchema, replayResponseSchema } from "./replay.js";
export type { ReplayRequest, ReplayResponse } from "./replay.js";
export { SIGNAL_TRIGGER_METRICS, SIGNAL_TYPES, signalBodySchema, signalSchema } from "./signal.js";
export type { Signal, SignalTriggerMetric, SignalType } from "./signal.js";
export { boundedJson, boundJson, MAX_EVIDENCE_DEPTH, MAX_EVIDENCE_BYTES } from "./bounded-json.js";
export {
  MCP_TOOL_NAMES,
  SEARCH_OPERATORS,
  searchFilterSchema,
  crmGetRecordInputSchema,
  crmSearchRecordsInputSchema,
  crmFieldChangeInputSchema,
  requestActionInputSchema,
  getDecisionInputSchema,
} from "./mcp-tools.js";
export type {
  McpToolName,
  SearchFilter,
  CrmGetRecordInput,
  CrmSearchRecordsInput,
  CrmFieldChangeInput,
  RequestActionInput,
  GetDecisionInput,
} from "./mcp-tools.js";
export {
  goldenAddBodySchema,
  goldenBreakSchema,
  goldenOverrideSchema,
  goldenRecordInputSchema,
  goldenRecordSchema,
  safeModeRequestSchema,
} from "./golden.js";
export type { GoldenBreak, GoldenOverride, GoldenRecord, GoldenRecordInput, SafeModeRequest } from "./golden.js";
export { INBOX_VIEWS, INBOX_MAX, inboxQuerySchema, inboxSchema, settingsViewSchema } from "./card-pages.js";
export type { InboxView, InboxQuery, Inbox, SettingsView } from "./card-pages.js";
export { agentSourceSchema, parseAgentSource, NO_AGENT_VERSIONS } from "./agent-source.js";
export type { AgentVersions } from "./agent-source.js";
export { agentTokenRequestSchema, agentTokenResponseSchema } from "./agent-token.js";
export type { AgentTokenRequest, AgentTokenResponse } from "./agent-token.js";

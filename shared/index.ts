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
  isProvenanceField,
  hubspotShadowName,
  salesforceShadowName,
  canonicalOfHubspotShadow,
} from "./fields.js";
export {
  auditEventInputSchema,
  auditEventSchema,
  auditQuerySchema,
  auditVerifyResultSchema,
  AUDIT_OUTCOMES,
  summarizeDiff,
} from "./audit-event.js";
export type { AuditEvent, AuditEventInput, AuditActor, AuditQuery, AuditVerifyResult } from "./audit-event.js";
export { canonicalJson, sha256Hex } from "./canonical-json.js";

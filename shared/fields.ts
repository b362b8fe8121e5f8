/** docs/contracts.md#fields-the-app-installs (contract): shadow and provenance field names. */

export const SHADOW_PREFIX_HUBSPOT = "ai_proposed_";
export const SHADOW_PREFIX_SALESFORCE = "AI_Proposed_";

/** The provenance properties on every governed object (HubSpot name → Salesforce name). */
export const PROVENANCE_FIELDS = {
  lastActionAt: { hubspot: "ai_sdr_last_action_at", salesforce: "AI_SDR_Last_Action_At__c", type: "datetime" },
  confidence: { hubspot: "ai_sdr_confidence_score", salesforce: "AI_SDR_Confidence_Score__c", type: "number" },
  source: { hubspot: "ai_sdr_source", salesforce: "AI_SDR_Source__c", type: "string" },
  reason: { hubspot: "ai_sdr_change_reason", salesforce: "AI_SDR_Change_Reason__c", type: "string" },
  eventId: { hubspot: "ai_sdr_event_id", salesforce: "AI_SDR_Event_Id__c", type: "string" },
  evidence: { hubspot: "ai_sdr_evidence", salesforce: "AI_SDR_Evidence__c", type: "longtext" },
} as const;
export type ProvenanceKey = keyof typeof PROVENANCE_FIELDS;

export const HUBSPOT_PROVENANCE_NAMES: readonly string[] = Object.values(PROVENANCE_FIELDS).map((f) => f.hubspot);
export const SALESFORCE_PROVENANCE_NAMES: readonly string[] = Object.values(PROVENANCE_FIELDS).map((f) => f.salesforce);

const PROVENANCE_NAMES: ReadonlySet<string> = new Set([...HUBSPOT_PROVENANCE_NAMES, ...SALESFORCE_PROVENANCE_NAMES]);

/** Whether `field` is one of the provenance properties, in either CRM's spelling. */
export function isProvenanceField(field: string): boolean {
  return PROVENANCE_NAMES.has(field);
}

/** `industry` → `ai_proposed_industry` */
export function hubspotShadowName(field: string): string {
  return `${SHADOW_PREFIX_HUBSPOT}${field}`;
}

/** `Industry` → `AI_Proposed_Industry__c`; `Custom_Score__c` → `AI_Proposed_Custom_Score__c`. */
export function salesforceShadowName(field: string): string {
  const base = field.replace(/__c$/, "");
  return `${SHADOW_PREFIX_SALESFORCE}${base.charAt(0).toUpperCase()}${base.slice(1)}__c`;
}

/** `ai_proposed_industry` → `industry`; anything else → undefined. */
export function canonicalOfHubspotShadow(name: string): string | undefined {
  return name.startsWith(SHADOW_PREFIX_HUBSPOT) && name.length > SHADOW_PREFIX_HUBSPOT.length
    ? name.slice(SHADOW_PREFIX_HUBSPOT.length)
    : undefined;
}

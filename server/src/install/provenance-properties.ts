import { PROVENANCE_FIELDS, type ProvenanceKey } from "../../../shared/index.js";
import type { PropertyDefinition } from "../crm/index.js";

/** The property group every Tollgate property lives in, on each governed object. */
export const TOLLGATE_GROUP = { name: "tollgate", label: "Tollgate" } as const;

/**
 * docs/contracts.md#fields-the-app-installs type → HubSpot `type`/`fieldType` (HubSpot:
 * https://developers.hubspot.com/docs/api/crm/properties, valid pairs table).
 * Long text is a multi-line string: `textarea` holds up to 65,536 characters like any string.
 */
const HUBSPOT_TYPES = {
  datetime: { type: "datetime", fieldType: "date" },
  number: { type: "number", fieldType: "number" },
  string: { type: "string", fieldType: "text" },
  longtext: { type: "string", fieldType: "textarea" },
} as const satisfies Record<(typeof PROVENANCE_FIELDS)[ProvenanceKey]["type"], { type: string; fieldType: string }>;

const LABELS: Record<ProvenanceKey, { label: string; description: string }> = {
  lastActionAt: { label: "AI SDR: last action at", description: "When an AI agent last changed this record." },
  confidence: {
    label: "AI SDR: confidence score",
    description: "The agent's confidence in its latest proposal, from 0 to 1.",
  },
  source: {
    label: "AI SDR: source",
    description: "Where the agent's value came from: data provider, prompt version, signal.",
  },
  reason: { label: "AI SDR: change reason", description: "The agent's one-sentence reason for its latest change." },
  eventId: {
    label: "AI SDR: audit event id",
    description: "The Tollgate audit event id of the latest governed change.",
  },
  evidence: {
    label: "AI SDR: evidence (JSON)",
    description: "Evidence bundle of the latest change, as JSON: sources, signals, extracted facts.",
  },
};

/** The six provenance properties of docs/contracts.md#fields-the-app-installs, as HubSpot property definitions. */
export function getProvenanceProperties(): PropertyDefinition[] {
  return (Object.keys(PROVENANCE_FIELDS) as ProvenanceKey[]).map((key) => {
    const field = PROVENANCE_FIELDS[key];
    return {
      name: field.hubspot,
      ...LABELS[key],
      ...HUBSPOT_TYPES[field.type],
      groupName: TOLLGATE_GROUP.name,
    };
  });
}

/**
 * The same six provenance properties under their Salesforce names (`AI_SDR_Source__c`…), for the
 * Salesforce package's generated fields and the Metadata API install: the connector's
 * `toCustomField` turns each into its `CustomField` (long text for the evidence bundle).
 */
export function getSalesforceProvenanceProperties(): PropertyDefinition[] {
  return (Object.keys(PROVENANCE_FIELDS) as ProvenanceKey[]).map((key) => {
    const field = PROVENANCE_FIELDS[key];
    return { name: field.salesforce, ...LABELS[key], ...HUBSPOT_TYPES[field.type] };
  });
}

import { PROVENANCE_FIELDS, salesforceShadowName } from "./fields.js";

/**
 * The Salesforce custom fields Tollgate installs (docs/contracts.md, "Fields the app installs"),
 * in the Metadata API's `CustomField` shape: the same objects feed the SFDX source under
 * `crm-app/salesforce` (rendered to `*.field-meta.xml`) and any Metadata API call that creates
 * them (`fullName` is then prefixed with the object, `Lead.AI_SDR_Source__c`).
 */
export interface SalesforceCustomField {
  /** API name without the object: `AI_Proposed_Industry__c`. */
  fullName: string;
  label: string;
  type: "Text" | "Number" | "Currency" | "DateTime" | "Date" | "Email" | "Phone" | "Url" | "LongTextArea";
  description: string;
  inlineHelpText?: string;
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
}

/** The objects the package installs fields on and shows the cards on. */
export const SALESFORCE_CARD_OBJECTS = ["Lead", "Contact", "Account", "Opportunity"] as const;
export type SalesforceCardObject = (typeof SALESFORCE_CARD_OBJECTS)[number];

const PROVENANCE_DEFINITIONS: Record<keyof typeof PROVENANCE_FIELDS, Omit<SalesforceCustomField, "fullName">> = {
  lastActionAt: {
    label: "AI SDR Last Action At",
    type: "DateTime",
    description: "When an AI agent last changed this record (set by Tollgate).",
  },
  confidence: {
    label: "AI SDR Confidence Score",
    type: "Number",
    precision: 5,
    scale: 4,
    description: "The agent's confidence in its latest proposal, from 0 to 1.",
  },
  source: {
    label: "AI SDR Source",
    type: "Text",
    length: 255,
    description: "Data provider, prompt version or signal behind the agent's latest change.",
  },
  reason: {
    label: "AI SDR Change Reason",
    type: "LongTextArea",
    length: 2000,
    visibleLines: 3,
    description: "The agent's one-sentence reason for its latest change.",
  },
  eventId: {
    label: "AI SDR Event Id",
    type: "Text",
    length: 255,
    description: "The Tollgate audit event id of the latest governed change (look it up in GET /v1/audit).",
  },
  evidence: {
    label: "AI SDR Evidence",
    type: "LongTextArea",
    length: 131072,
    visibleLines: 5,
    description: "Evidence bundle (JSON): sources, signals and extracted facts behind the latest change.",
  },
};

/** The six provenance fields every governed object gets (`AI_SDR_*__c`). */
export function getSalesforceProvenanceFields(): SalesforceCustomField[] {
  return (Object.keys(PROVENANCE_FIELDS) as (keyof typeof PROVENANCE_FIELDS)[]).map((key) => ({
    fullName: PROVENANCE_FIELDS[key].salesforce,
    ...PROVENANCE_DEFINITIONS[key],
  }));
}

type ShadowType = Pick<SalesforceCustomField, "type" | "length" | "precision" | "scale">;
const TEXT: ShadowType = { type: "Text", length: 255 };

/**
 * Standard fields whose shadow can carry their type, so Salesforce itself checks a proposed
 * email or number. Picklists (Industry, StageName, Status) and everything not listed are Text
 * (255): a proposal may name a value the picklist lacks, and the apply is then refused by
 * Salesforce and reported, not silently coerced.
 */
const STANDARD_FIELD_TYPES: Readonly<Record<string, ShadowType>> = {
  Email: { type: "Email" },
  Phone: { type: "Phone" },
  MobilePhone: { type: "Phone" },
  Fax: { type: "Phone" },
  Website: { type: "Url" },
  NumberOfEmployees: { type: "Number", precision: 8, scale: 0 },
  AnnualRevenue: { type: "Currency", precision: 18, scale: 0 },
  Amount: { type: "Currency", precision: 16, scale: 2 },
  Probability: { type: "Number", precision: 3, scale: 0 },
  CloseDate: { type: "Date" },
  OwnerId: { type: "Text", length: 18 },
};

/** `Industry` → `AI_Proposed_Industry__c`, typed like its canonical field where known. */
export function getSalesforceShadowField(canonicalField: string): SalesforceCustomField {
  const fullName = salesforceShadowName(canonicalField);
  const typed = STANDARD_FIELD_TYPES[canonicalField] ?? TEXT;
  return {
    fullName,
    label: `AI Proposed ${labelOf(canonicalField)}`.slice(0, 40),
    ...typed,
    description: `A value an AI agent proposes for ${canonicalField}. Tollgate decides it under the policy: applied, sent for approval, or cleared.`,
    inlineHelpText: `Proposed by an AI agent; approve or reject it in the Tollgate card.`,
  };
}

/** `NumberOfEmployees` → `Number Of Employees`; `Custom_Score__c` → `Custom Score`. */
function labelOf(field: string): string {
  return field
    .replace(/__c$/, "")
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim();
}

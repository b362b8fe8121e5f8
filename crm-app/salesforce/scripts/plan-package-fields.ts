/**
 * Which custom fields the Salesforce package carries, per card object, for a policy: the six
 * provenance fields on each, and one shadow `AI_Proposed_<Field>__c` per field an agent may write
 * or propose (docs/contracts.md, "Fields the app installs"). Each becomes a `CustomField` through
 * the Salesforce connector's own `toCustomField`, so the deployed package and a Metadata API
 * install create the same fields.
 */
import { salesforceShadowName, toCrmObjectType } from "../../../shared/index.js";
import type { PropertyDefinition } from "../../../server/src/crm/index.js";
import { toCustomField, type CustomFieldMetadata } from "../../../server/src/crm/salesforce/index.js";
import { getSalesforceProvenanceProperties } from "../../../server/src/install/index.js";
import { listGovernedFields, loadPolicyFile } from "../../../server/src/policy/index.js";

/** The objects the package installs fields on and shows the cards on. */
export const SALESFORCE_CARD_OBJECTS = ["Lead", "Contact", "Account", "Opportunity"] as const;
export type SalesforceCardObject = (typeof SALESFORCE_CARD_OBJECTS)[number];

/** Salesforce caps a custom field's API name at 40 characters before `__c`. */
const MAX_FIELD_NAME = 40;

/**
 * Standard fields whose values are numbers or dates; their shadow holds the same kind of value.
 * Everything else — text, email, phone, picklists (Industry, StageName, Status), ids — is proposed
 * as text: a proposal may name a picklist value the org lacks, and the apply is then refused by
 * Salesforce and reported, not coerced. The package is built offline, so the org's own
 * describe cannot be asked.
 */
const STANDARD_FIELD_KINDS: Readonly<Record<string, Pick<PropertyDefinition, "type" | "fieldType">>> = {
  NumberOfEmployees: { type: "number", fieldType: "number" },
  AnnualRevenue: { type: "number", fieldType: "number" },
  Amount: { type: "number", fieldType: "number" },
  Probability: { type: "number", fieldType: "number" },
  CloseDate: { type: "date", fieldType: "date" },
};

/** The shadow of a canonical Salesforce field, as a CRM-neutral property definition. */
export function getPackageShadowProperty(canonicalField: string): PropertyDefinition {
  return {
    name: salesforceShadowName(canonicalField),
    label: `AI proposed: ${canonicalField.replace(/__c$/, "")}`,
    description: `A value an AI agent proposes for ${canonicalField}; Tollgate applies it, asks for approval, or clears it.`,
    ...(STANDARD_FIELD_KINDS[canonicalField] ?? { type: "string", fieldType: "text" }),
  };
}

/** Per card object, its fields as the Metadata API takes them (`fullName` is `Object.Field__c`), by name. */
export async function planSalesforceFields(policyPath: string): Promise<{
  fields: Map<SalesforceCardObject, CustomFieldMetadata[]>;
  skipped: string[];
}> {
  const policy = await loadPolicyFile(policyPath);
  const properties = new Map<SalesforceCardObject, PropertyDefinition[]>(
    SALESFORCE_CARD_OBJECTS.map((o) => [o, getSalesforceProvenanceProperties()]),
  );
  const skipped: string[] = [];
  for (const governed of listGovernedFields(policy)) {
    if (!governed.proposable) continue;
    const object = toCrmObjectType("salesforce", governed.object);
    const list = object ? properties.get(object as SalesforceCardObject) : undefined;
    if (!list) {
      skipped.push(`${governed.object}.${governed.field}: no Tollgate cards on ${object ?? governed.object}`);
      continue;
    }
    const shadow = getPackageShadowProperty(governed.field);
    if (shadow.name.replace(/__c$/, "").length > MAX_FIELD_NAME) {
      skipped.push(`${governed.object}.${governed.field}: ${shadow.name} is longer than Salesforce allows`);
      continue;
    }
    if (!list.some((p) => p.name === shadow.name)) list.push(shadow);
  }
  const fields = new Map<SalesforceCardObject, CustomFieldMetadata[]>();
  for (const [object, list] of properties) {
    const sorted = [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
    fields.set(
      object,
      sorted.map((p) => toCustomField(object, p)),
    );
  }
  return { fields, skipped };
}

import { SALESFORCE_OBJECTS, type PolicyObject } from "../../../shared/index.js";
import { SALESFORCE_PROVENANCE_NAMES, salesforceShadowName } from "../../../shared/index.js";
import type { PropertyDefinition } from "../crm/index.js";
import { getSalesforceProvenanceProperties } from "./provenance-properties.js";
import type { GovernedField } from "./types.js";

/** Objects that always get the provenance fields and CDC, whatever the policy names. */
export const SALESFORCE_BASE_OBJECTS = ["Lead", "Contact", "Account", "Opportunity"] as const;

/** The permission set that gives Tollgate's integration user its fields. */
export const TOLLGATE_FIELDS_PERMISSION_SET = { name: "Tollgate_Integration", label: "Tollgate Integration" } as const;

export interface SalesforceInstallPlan {
  objects: { objectType: string; create: PropertyDefinition[]; existing: string[] }[];
  /** `Object.Field__c` of every Tollgate field, granted through the permission set. */
  fieldAccess: string[];
  /** Objects to select for Change Data Capture. */
  changeDataCapture: string[];
  problems: string[];
}

/**
 * What installing into an org creates (pure, docs/contracts.md): on each governed object the six
 * `AI_SDR_*__c` provenance fields and an `AI_Proposed_<Field>__c` shadow per proposable field
 * (typed like its canonical field where that is a number or date, else text), what exists left
 * alone; field access for all of them; CDC for every governed object. A governed field the org
 * does not have is reported, never invented.
 */
export function planSalesforceInstall(input: {
  governedFields: readonly GovernedField[];
  existing: Readonly<Record<string, readonly PropertyDefinition[]>>;
}): SalesforceInstallPlan {
  const problems: string[] = [];
  const objectTypes = new Set<string>(SALESFORCE_BASE_OBJECTS);
  for (const f of input.governedFields) {
    const objectType = SALESFORCE_OBJECTS[f.object as PolicyObject];
    if (objectType) objectTypes.add(objectType);
    else problems.push(`Salesforce has no "${f.object}" object; ${f.field} is not provisioned.`);
  }
  const plan: SalesforceInstallPlan = { objects: [], fieldAccess: [], changeDataCapture: [...objectTypes], problems };
  for (const objectType of objectTypes) {
    const existing = new Map((input.existing[objectType] ?? []).map((p) => [p.name.toLowerCase(), p]));
    // The same six definitions the Salesforce package renders into its field files.
    const wanted: PropertyDefinition[] = getSalesforceProvenanceProperties();
    for (const f of input.governedFields) {
      if (SALESFORCE_OBJECTS[f.object as PolicyObject] !== objectType || !f.proposable) continue;
      if (SALESFORCE_PROVENANCE_NAMES.includes(f.field)) continue;
      const canonical = existing.get(f.field.toLowerCase());
      if (!canonical) {
        problems.push(`${objectType}.${f.field} does not exist in the org; its shadow is not created.`);
        continue;
      }
      const typed = ["number", "date", "datetime"].includes(canonical.type) ? canonical.type : "string";
      wanted.push({
        name: salesforceShadowName(f.field),
        label: `AI Proposed ${canonical.label}`.slice(0, 40),
        type: typed,
        fieldType: typed,
      });
    }
    const create = wanted.filter((w) => !existing.has(w.name.toLowerCase()));
    plan.objects.push({
      objectType,
      create,
      existing: wanted.filter((w) => existing.has(w.name.toLowerCase())).map((w) => w.name),
    });
    plan.fieldAccess.push(...wanted.map((w) => `${objectType}.${w.name}`));
  }
  return plan;
}

/** The plan as lines a person reads (`tollgate install salesforce --dry-run`). */
export function formatSalesforceInstallPlan(plan: SalesforceInstallPlan): string {
  const lines: string[] = [];
  for (const o of plan.objects) {
    lines.push(`${o.objectType}: ${o.create.length} to create, ${o.existing.length} already there`);
    for (const p of o.create) lines.push(`  + ${o.objectType}.${p.name} (${p.type})`);
  }
  lines.push(`permission set ${TOLLGATE_FIELDS_PERMISSION_SET.name}: read/edit on ${plan.fieldAccess.length} fields`);
  lines.push(`Change Data Capture: ${plan.changeDataCapture.join(", ")}`);
  for (const p of plan.problems) lines.push(`! ${p}`);
  return lines.join("\n");
}

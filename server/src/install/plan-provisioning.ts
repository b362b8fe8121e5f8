import {
  HUBSPOT_OBJECTS,
  POLICY_OBJECTS,
  type PolicyObject,
  HUBSPOT_PROVENANCE_NAMES,
  canonicalOfHubspotShadow,
} from "../../../shared/index.js";
import type { PropertyDefinition } from "../crm/index.js";
import { getShadowProperty } from "./get-shadow-property.js";
import { TOLLGATE_GROUP, getProvenanceProperties } from "./provenance-properties.js";
import type { GovernedField, ObjectPlan, PlannedProperty, ProvisioningPlan, ProvisioningProblem } from "./types.js";

/** Objects that get the group and provenance properties even when the policy names none of their fields. */
export const ALWAYS_PROVISIONED_OBJECTS: readonly PolicyObject[] = ["contact", "company", "deal"];

export interface ProvisioningInput {
  governedFields: readonly GovernedField[];
  /** The CRM's property definitions, per HubSpot object type (`contacts` → […]). */
  existing: Readonly<Record<string, readonly PropertyDefinition[]>>;
}

/**
 * The HubSpot objects provisioning touches, in a stable order: contacts, companies and deals
 * always, plus every other object the policy names a field on. Objects HubSpot lacks
 * (`account`, `opportunity`) are left out; {@link planProvisioning} reports them.
 */
export function listProvisionedObjects(
  governedFields: readonly GovernedField[],
): { object: PolicyObject; objectType: string }[] {
  const named = new Set<PolicyObject>([...ALWAYS_PROVISIONED_OBJECTS, ...governedFields.map((f) => f.object)]);
  return POLICY_OBJECTS.filter((o) => named.has(o)).flatMap((object) => {
    const hs = HUBSPOT_OBJECTS[object];
    return hs ? [{ object, objectType: hs.name }] : [];
  });
}

/**
 * Decides what install must create (pure: docs/contracts.md#fields-the-app-installs). Per object: the `tollgate` group,
 * the
 * six provenance properties, and one shadow per proposable governed field, typed like its
 * canonical field. What exists is left alone, never updated; a property whose type differs from
 * the plan is reported, as is a governed field the CRM does not have (it is never invented).
 */
export function planProvisioning(input: ProvisioningInput): ProvisioningPlan {
  const problems: ProvisioningProblem[] = [];
  const unsupported = new Set(input.governedFields.map((f) => f.object).filter((o) => !HUBSPOT_OBJECTS[o]));
  for (const object of unsupported) {
    problems.push({
      kind: "unsupported_object",
      objectType: object,
      message: `HubSpot has no "${object}" object; its fields are not provisioned.`,
    });
  }

  const objects = listProvisionedObjects(input.governedFields).map(({ object, objectType }): ObjectPlan => {
    const existing = new Map((input.existing[objectType] ?? []).map((p) => [p.name, p]));
    const properties: PlannedProperty[] = [];
    const place = (kind: PlannedProperty["kind"], definition: PropertyDefinition, canonical?: string) => {
      const found = existing.get(definition.name);
      if (found && (found.type !== definition.type || found.fieldType !== definition.fieldType)) {
        problems.push({
          kind: "type_mismatch",
          objectType,
          name: definition.name,
          message: `${definition.name} exists as ${found.type}/${found.fieldType}, Tollgate expects ${definition.type}/${definition.fieldType}; left as it is.`,
        });
      }
      properties.push({ kind, definition, action: found ? "exists" : "create", ...(canonical ? { canonical } : {}) });
    };

    for (const definition of getProvenanceProperties()) place("provenance", definition);

    for (const { field, proposable } of mergeFields(input.governedFields, object)) {
      if (HUBSPOT_PROVENANCE_NAMES.includes(field) || canonicalOfHubspotShadow(field) !== undefined) {
        // Tollgate's own properties need no shadow; a policy proposing to them is a mistake.
        if (proposable) {
          problems.push({
            kind: "not_a_canonical_field",
            objectType,
            name: field,
            message: `${field} is a Tollgate property, not a canonical field; it gets no shadow.`,
          });
        }
        continue;
      }
      const canonical = existing.get(field);
      if (!canonical) {
        problems.push({
          kind: "missing_canonical",
          objectType,
          name: field,
          message: `The policy governs ${object}.${field}, but HubSpot ${objectType} has no such property.`,
        });
        continue;
      }
      if (proposable) place("shadow", getShadowProperty(canonical), field);
    }
    return { object, objectType, group: { ...TOLLGATE_GROUP }, properties };
  });

  return { objects, problems };
}

/** One entry per field of `object`; a field listed twice is proposable if either says so. */
function mergeFields(fields: readonly GovernedField[], object: PolicyObject): { field: string; proposable: boolean }[] {
  const merged = new Map<string, boolean>();
  for (const f of fields) if (f.object === object) merged.set(f.field, (merged.get(f.field) ?? false) || f.proposable);
  return [...merged].map(([field, proposable]) => ({ field, proposable }));
}

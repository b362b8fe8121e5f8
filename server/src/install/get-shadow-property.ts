import { hubspotShadowName } from "../../../shared/index.js";
import type { PropertyDefinition } from "../crm/index.js";
import { TOLLGATE_GROUP } from "./provenance-properties.js";

// HubSpot needs the two options of a checkbox bool spelled out when it is created by API.
const BOOL_OPTIONS = [
  { label: "Yes", value: "true", hidden: false, displayOrder: 0 },
  { label: "No", value: "false", hidden: false, displayOrder: 1 },
];

/**
 * The shadow property `ai_proposed_<field>` (docs/contracts.md#fields-the-app-installs) for a canonical HubSpot
 * property,
 * typed like it so a proposal is a value the canonical field could hold. Where a copy would
 * not work, a plain string/text holds the proposal instead:
 * - the canonical is calculated or read-only (HubSpot will not create a second formula, and
 *   no one may write the canonical anyway; the proposal is still worth showing);
 * - it is an enumeration without options of its own (owner-like properties whose options
 *   HubSpot fills in from elsewhere: a copy would accept no value).
 */
export function getShadowProperty(canonical: PropertyDefinition): PropertyDefinition {
  const calculated = canonical.readOnly === true || canonical.fieldType === "calculation_equation";
  const optionless = canonical.type === "enumeration" && !canonical.options?.length;
  const shape =
    calculated || optionless
      ? { type: "string", fieldType: "text", options: undefined }
      : {
          type: canonical.type,
          fieldType: canonical.fieldType,
          options: canonical.options?.length
            ? canonical.options.map((o, i) => ({
                label: o.label,
                value: o.value,
                hidden: o.hidden ?? false,
                displayOrder: o.displayOrder ?? i,
              }))
            : canonical.type === "bool"
              ? BOOL_OPTIONS
              : undefined,
        };
  return {
    name: hubspotShadowName(canonical.name),
    label: `AI proposed: ${canonical.label}`,
    description: `A value an AI agent proposes for "${canonical.label}" (${canonical.name}); Tollgate routes it through approval before it reaches that field.`,
    groupName: TOLLGATE_GROUP.name,
    type: shape.type,
    fieldType: shape.fieldType,
    ...(shape.options ? { options: shape.options } : {}),
  };
}

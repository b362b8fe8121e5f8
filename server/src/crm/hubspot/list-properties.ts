import type { PropertyDefinition } from "../connector.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotProperty } from "./types.js";

/** `GET /crm/v3/properties/{type}` → definitions; HubSpot-computed and read-only ones carry `readOnly`. */
export async function listProperties(transport: HubSpotTransport, objectType: string): Promise<PropertyDefinition[]> {
  const response = await transport.send({
    method: "GET",
    path: `/crm/v3/properties/${encodeURIComponent(toHubSpotObjectName(objectType))}`,
    query: { archived: "false" },
  });
  if (response.status !== 200) throw crmErrorFromResponse(response, `list properties of ${objectType}`);
  const results = (response.body as { results?: HubSpotProperty[] } | undefined)?.results ?? [];
  return results.map(toDefinition);
}

export function toDefinition(p: HubSpotProperty): PropertyDefinition {
  const definition: PropertyDefinition = {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
  };
  if (p.description) definition.description = p.description;
  if (p.options && p.options.length > 0) {
    definition.options = p.options.map((o) => ({
      label: o.label,
      value: o.value,
      ...(o.hidden === undefined ? {} : { hidden: o.hidden }),
      ...(o.displayOrder === undefined ? {} : { displayOrder: o.displayOrder }),
    }));
  }
  if (p.calculated === true || p.modificationMetadata?.readOnlyValue === true) definition.readOnly = true;
  if (p.dataSensitivity === "sensitive" || p.dataSensitivity === "highly_sensitive") definition.sensitive = true;
  return definition;
}

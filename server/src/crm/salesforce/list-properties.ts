import type { PropertyDefinition } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { soqlName } from "./soql.js";
import type { SalesforceDescribeField } from "./types.js";

/** Salesforce field types in the connector's CRM-neutral `type` vocabulary. */
const NEUTRAL_TYPE: Record<string, string> = {
  double: "number",
  currency: "number",
  percent: "number",
  int: "number",
  long: "number",
  datetime: "datetime",
  date: "date",
  boolean: "bool",
  picklist: "enumeration",
  multipicklist: "enumeration",
};

/** `GET /sobjects/<Object>/describe`: every field, with its Salesforce type as `fieldType`. */
export async function listProperties(
  transport: SalesforceTransport,
  objectType: string,
): Promise<PropertyDefinition[]> {
  const describe = await transport.send<{ fields: SalesforceDescribeField[] }>({
    method: "GET",
    path: `/sobjects/${soqlName(objectType)}/describe`,
  });
  return describe.fields.map((f) => ({
    name: f.name,
    label: f.label,
    type: NEUTRAL_TYPE[f.type] ?? "string",
    fieldType: f.type,
    description: f.inlineHelpText ?? undefined,
    readOnly: f.updateable === false || f.calculated === true,
    ...(f.picklistValues && f.picklistValues.length > 0
      ? {
          options: f.picklistValues.map((p, i) => ({
            label: p.label,
            value: p.value,
            hidden: !p.active,
            displayOrder: i,
          })),
        }
      : {}),
  }));
}

import type { PropertyDefinition } from "../connector.js";
import { CrmError } from "../errors.js";
import { LONG_TEXT_FIELD_LENGTH, TEXT_FIELD_LENGTH } from "./fit-field-length.js";

/** A `CustomField` as the Metadata API takes it (only what Tollgate sets). */
export interface CustomFieldMetadata {
  fullName: string;
  label: string;
  type: string;
  description?: string;
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  defaultValue?: string;
  valueSet?: { valueSetDefinition: { value: { fullName: string; label: string; default: boolean }[] } };
}

/**
 * The Metadata API definition of a custom field for a CRM-neutral property definition:
 * `Object.Name__c`, text 255 (long text for `textarea`), number(18, 4), date/time, checkbox,
 * picklist. Labels are cut to Salesforce's 40 characters.
 */
export function toCustomField(objectType: string, p: PropertyDefinition): CustomFieldMetadata {
  if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(p.name))
    throw new CrmError("bad_request", { detail: `a custom field name must end in __c: ${p.name}` });
  const base = {
    fullName: `${objectType}.${p.name}`,
    label: p.label.slice(0, 40),
    ...(p.description ? { description: p.description.slice(0, 1000) } : {}),
  };
  if (p.type === "number") return { ...base, type: "Number", precision: 18, scale: 4 };
  if (p.type === "datetime") return { ...base, type: "DateTime" };
  if (p.type === "date") return { ...base, type: "Date" };
  if (p.type === "bool") return { ...base, type: "Checkbox", defaultValue: "false" };
  if (p.type === "enumeration" && p.options && p.options.length > 0)
    return {
      ...base,
      type: "Picklist",
      valueSet: {
        valueSetDefinition: { value: p.options.map((o) => ({ fullName: o.value, label: o.label, default: false })) },
      },
    };
  if (p.fieldType === "textarea" || p.type === "longtext")
    return { ...base, type: "LongTextArea", length: LONG_TEXT_FIELD_LENGTH, visibleLines: 5 };
  return { ...base, type: "Text", length: TEXT_FIELD_LENGTH };
}

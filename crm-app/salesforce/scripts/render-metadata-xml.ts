/**
 * Renders Metadata API source files (`*.field-meta.xml`, `*.permissionset-meta.xml`) the way
 * Salesforce's own retrieve writes them: the metadata namespace, four-space indentation, elements
 * in alphabetical order. The generated banner is an XML comment inside the root element: the
 * Metadata API ignores comments, and source-deploy-retrieve refuses a field file whose comment
 * sits before the root ("Invalid XML tags" when it recomposes a standard object's fields).
 */
import type { CustomFieldMetadata } from "../../../server/src/crm/salesforce/index.js";

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>';
const NAMESPACE = "http://soap.sforce.com/2006/04/metadata";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `--` may not appear inside an XML comment. */
const comment = (text: string) => `    <!-- ${text.replace(/--/g, "- -")} -->`;

const element = (indent: string, name: string, value: string | number | boolean) =>
  `${indent}<${name}>${escapeXml(String(value))}</${name}>`;

/**
 * One `CustomField` source file from the Metadata API definition the connector would create
 * (`fullName` `Lead.AI_SDR_Source__c` → `AI_SDR_Source__c` in the file, as retrieve writes it).
 */
export function renderCustomField(field: CustomFieldMetadata, banner: string): string {
  if (field.valueSet) throw new Error(`${field.fullName}: picklist fields are not rendered into the package`);
  const entries: Record<string, string | number | boolean | undefined> = {
    description: field.description,
    defaultValue: field.defaultValue,
    externalId: field.type === "LongTextArea" ? undefined : false,
    label: field.label,
    length: field.length,
    precision: field.precision,
    required: field.type === "LongTextArea" || field.type === "Checkbox" ? undefined : false,
    scale: field.scale,
    trackHistory: false,
    type: field.type,
    unique: field.type === "Text" ? false : undefined,
    visibleLines: field.visibleLines,
  };
  const body = Object.keys(entries)
    .sort()
    .flatMap((name) => (entries[name] === undefined ? [] : [element("    ", name, entries[name]!)]));
  const name = field.fullName.slice(field.fullName.indexOf(".") + 1);
  return [
    XML_HEADER,
    `<CustomField xmlns="${NAMESPACE}">`,
    comment(banner),
    element("    ", "fullName", name),
    ...body,
    "</CustomField>",
    "",
  ].join("\n");
}

export interface PermissionSetSpec {
  label: string;
  description: string;
  apexClasses: readonly string[];
  /** `<ExternalCredential>-<principal>`: who may call out through the Named Credential. */
  externalCredentialPrincipals: readonly string[];
  /** `Object.Field__c` with edit rights or read only. */
  fields: readonly { field: string; editable: boolean }[];
}

/** One `PermissionSet` source file (no licence: assignable to any user). */
export function renderPermissionSet(spec: PermissionSetSpec, banner: string): string {
  const lines: string[] = [XML_HEADER, `<PermissionSet xmlns="${NAMESPACE}">`, comment(banner)];
  for (const apexClass of [...spec.apexClasses].sort()) {
    lines.push(
      "    <classAccesses>",
      element("        ", "apexClass", apexClass),
      element("        ", "enabled", true),
    );
    lines.push("    </classAccesses>");
  }
  lines.push(element("    ", "description", spec.description));
  for (const principal of [...spec.externalCredentialPrincipals].sort()) {
    lines.push("    <externalCredentialPrincipalAccesses>", element("        ", "enabled", true));
    lines.push(
      element("        ", "externalCredentialPrincipal", principal),
      "    </externalCredentialPrincipalAccesses>",
    );
  }
  for (const { field, editable } of [...spec.fields].sort((a, b) => (a.field < b.field ? -1 : 1))) {
    lines.push(
      "    <fieldPermissions>",
      element("        ", "editable", editable),
      element("        ", "field", field),
    );
    lines.push(element("        ", "readable", true), "    </fieldPermissions>");
  }
  lines.push(element("    ", "hasActivationRequired", false), element("    ", "label", spec.label));
  lines.push("</PermissionSet>", "");
  return lines.join("\n");
}

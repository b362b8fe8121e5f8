import { PROVENANCE_FIELDS, SHADOW_PREFIX_SALESFORCE } from "../../../../shared/index.js";

/** The length of the Text fields Tollgate installs (`toCustomField`): Salesforce's Text(255). */
export const TEXT_FIELD_LENGTH = 255;
/** The length of its Long Text Area fields (the evidence JSON). */
export const LONG_TEXT_FIELD_LENGTH = 32_768;
/** What ends a value Tollgate had to cut to fit its field; the whole value stays in the audit log. */
export const TRUNCATION_MARKER = "… [truncated]";

const LONG_TEXT: ReadonlySet<string> = new Set(
  Object.values(PROVENANCE_FIELDS)
    .filter((f) => f.type === "longtext")
    .map((f) => f.salesforce),
);
const PROVENANCE: ReadonlySet<string> = new Set(Object.values(PROVENANCE_FIELDS).map((f) => f.salesforce));

/**
 * A value for one of Tollgate's own fields (provenance `AI_SDR_*__c`, shadow `AI_Proposed_*__c`),
 * cut to the field's length with {@link TRUNCATION_MARKER} at its end: Salesforce refuses a
 * longer value (`STRING_TOO_LONG`) and would fail the whole record's write with it. Lengths count
 * characters (code points), so a cut never splits one. Other fields' values are left as they are:
 * their length is the org's, and a refusal there is the record's own result.
 */
export function fitFieldLength(field: string, value: string): string {
  if (!PROVENANCE.has(field) && !field.startsWith(SHADOW_PREFIX_SALESFORCE)) return value;
  const length = LONG_TEXT.has(field) ? LONG_TEXT_FIELD_LENGTH : TEXT_FIELD_LENGTH;
  const chars = [...value];
  if (chars.length <= length) return value;
  return chars.slice(0, length - [...TRUNCATION_MARKER].length).join("") + TRUNCATION_MARKER;
}

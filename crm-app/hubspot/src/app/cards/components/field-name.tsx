import { Text } from "@hubspot/ui-extensions";

/** The CRM's label of a field, falling back to its internal name when Tollgate sent none. */
export function fieldLabelOf(item: { field: string | null; fieldLabel?: string | null | undefined }): string {
  return item.fieldLabel || item.field || "(record)";
}

/**
 * A field as people know it: the CRM's label (`Job title`), with the internal name (`jobtitle`)
 * as secondary text when the two differ, so admins can still match it to the policy.
 */
export function FieldName(props: {
  item: { field: string | null; fieldLabel?: string | null | undefined };
  testId: string;
  weight?: "bold" | "demibold";
}) {
  const label = fieldLabelOf(props.item);
  const name = props.item.field;
  return (
    <Text format={{ fontWeight: props.weight ?? "bold" }} testId={props.testId}>
      {label}
      {name !== null && name !== label && (
        <Text inline variant="microcopy" testId={`${props.testId}-name`}>
          {" "}
          ({name})
        </Text>
      )}
    </Text>
  );
}

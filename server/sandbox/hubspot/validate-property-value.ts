import type { SandboxProperty } from "./default-properties.js";

/** A HubSpot-style property validation failure (`INVALID_OPTION`, `PROPERTY_DOESNT_EXIST`, …). */
export interface PropertyIssue {
  isValid: false;
  name: string;
  error: string;
  message: string;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `""` always clears; otherwise the value must fit the property's type and options. */
export function validatePropertyValue(
  property: SandboxProperty | undefined,
  name: string,
  value: string,
): PropertyIssue | undefined {
  if (!property) return issue(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`);
  if (property.modificationMetadata.readOnlyValue)
    return issue(name, "READ_ONLY_VALUE", `"${name}" is a read only property; its value cannot be set.`);
  if (value === "") return undefined;
  switch (property.type) {
    case "number":
      return NUMBER.test(value) ? undefined : issue(name, "INVALID_FLOAT", `${value} was not a valid number.`);
    case "bool":
      return value === "true" || value === "false"
        ? undefined
        : issue(name, "INVALID_BOOLEAN", `${value} was not a valid boolean.`);
    case "date":
    case "datetime":
      return NUMBER.test(value) || DATE.test(value) || Number.isFinite(Date.parse(value))
        ? undefined
        : issue(name, "INVALID_DATE", `${value} was not a valid date.`);
    case "enumeration": {
      if (property.options.length === 0) return undefined;
      const allowed = new Set(property.options.map((o) => o.value));
      const values = property.fieldType === "checkbox" ? value.split(";") : [value];
      const bad = values.find((v) => !allowed.has(v));
      return bad === undefined
        ? undefined
        : issue(name, "INVALID_OPTION", `${bad} was not one of the allowed options: ${[...allowed].join(", ")}`);
    }
    default:
      return value.length > 65_536
        ? issue(name, "INVALID_STRING", "Strings hold at most 65,536 characters.")
        : undefined;
  }
}

function issue(name: string, error: string, message: string): PropertyIssue {
  return { isValid: false, name, error, message };
}

import {
  DATA_SENSITIVITIES,
  defaultGroupName,
  defaultGroups,
  defaultProperties,
  makeProperty,
  type DataSensitivity,
  type SandboxGroup,
  type SandboxProperty,
} from "./default-properties.js";
import { SandboxApiError } from "./sandbox-api-error.js";

/** type → allowed fieldTypes, from HubSpot's properties guide. */
const FIELD_TYPES: Record<string, string[]> = {
  bool: ["booleancheckbox", "calculation_equation"],
  enumeration: ["booleancheckbox", "checkbox", "radio", "select", "calculation_equation"],
  date: ["date"],
  datetime: ["date"],
  string: ["text", "textarea", "file", "html", "phonenumber", "calculation_equation"],
  number: ["number", "calculation_equation"],
};

/** Property definitions and groups per object type, seeded with HubSpot's defaults. */
export class PropertyRegistry {
  private readonly properties = new Map<string, Map<string, SandboxProperty>>();
  private readonly groups = new Map<string, Map<string, SandboxGroup>>();

  constructor(private readonly now: () => number) {}

  list(objectType: string): SandboxProperty[] {
    return [...this.ensure(objectType).values()];
  }

  get(objectType: string, name: string): SandboxProperty | undefined {
    return this.ensure(objectType).get(name);
  }

  /** Whether HubSpot marks the property's values sensitive (Sensitive Data: `sensitive` or `highly_sensitive`). */
  isSensitive(objectType: string, name: string): boolean {
    return (this.get(objectType, name)?.dataSensitivity ?? "non_sensitive") !== "non_sensitive";
  }

  /** `POST /crm/v3/properties/{type}`: 409 when the name is taken, 400 for a bad definition or group. */
  create(objectType: string, input: Record<string, unknown>): SandboxProperty {
    const name = typeof input["name"] === "string" ? input["name"] : "";
    const missing = ["name", "label", "type", "fieldType", "groupName"].filter(
      (k) => typeof input[k] !== "string" || input[k] === "",
    );
    if (missing.length > 0)
      throw new SandboxApiError(400, "VALIDATION_ERROR", `Invalid input JSON: missing ${missing.join(", ")}`);
    const type = String(input["type"]);
    const fieldType = String(input["fieldType"]);
    if (!FIELD_TYPES[type]?.includes(fieldType))
      throw new SandboxApiError(400, "VALIDATION_ERROR", `fieldType ${fieldType} is not valid for type ${type}`);
    const groupName = String(input["groupName"]);
    if (!this.groupsOf(objectType).has(groupName))
      throw new SandboxApiError(400, "VALIDATION_ERROR", `property group ${groupName} does not exist`);
    const props = this.ensure(objectType);
    if (props.has(name))
      throw new SandboxApiError(409, "OBJECT_ALREADY_EXISTS", `Property named '${name}' already exists.`, {
        context: { name: [name] },
      });
    const options = Array.isArray(input["options"])
      ? (input["options"] as { label: string; value: string; hidden?: boolean; displayOrder?: number }[])
      : [];
    const description = typeof input["description"] === "string" ? input["description"] : "";
    const dataSensitivity = (input["dataSensitivity"] ?? "non_sensitive") as DataSensitivity;
    if (!DATA_SENSITIVITIES.includes(dataSensitivity))
      throw new SandboxApiError(
        400,
        "VALIDATION_ERROR",
        `dataSensitivity must be one of ${DATA_SENSITIVITIES.join(", ")}`,
      );
    const property = makeProperty(
      { name, label: String(input["label"]), type, fieldType, groupName, description, options, dataSensitivity },
      new Date(this.now()).toISOString(),
    );
    props.set(name, property);
    return property;
  }

  /** Seeding data with a property the sandbox does not know adds it as text, so fixtures stay short. */
  addTextIfMissing(objectType: string, name: string): void {
    const props = this.ensure(objectType);
    if (!props.has(name))
      props.set(
        name,
        makeProperty(
          { name, type: "string", fieldType: "text", groupName: defaultGroupName(objectType) },
          new Date(this.now()).toISOString(),
        ),
      );
  }

  listGroups(objectType: string): SandboxGroup[] {
    return [...this.groupsOf(objectType).values()];
  }

  getGroup(objectType: string, name: string): SandboxGroup | undefined {
    return this.groupsOf(objectType).get(name);
  }

  createGroup(objectType: string, input: Record<string, unknown>): SandboxGroup {
    const name = input["name"];
    const label = input["label"];
    if (typeof name !== "string" || name === "" || typeof label !== "string")
      throw new SandboxApiError(400, "VALIDATION_ERROR", "Invalid input JSON: name and label are required");
    const groups = this.groupsOf(objectType);
    if (groups.has(name))
      throw new SandboxApiError(409, "OBJECT_ALREADY_EXISTS", `A property group named '${name}' already exists.`);
    const group = {
      name,
      label,
      displayOrder: typeof input["displayOrder"] === "number" ? input["displayOrder"] : -1,
      archived: false,
    };
    groups.set(name, group);
    return group;
  }

  private ensure(objectType: string): Map<string, SandboxProperty> {
    let props = this.properties.get(objectType);
    if (!props) {
      props = new Map(defaultProperties(objectType, new Date(this.now()).toISOString()).map((p) => [p.name, p]));
      this.properties.set(objectType, props);
    }
    return props;
  }

  private groupsOf(objectType: string): Map<string, SandboxGroup> {
    let groups = this.groups.get(objectType);
    if (!groups) {
      groups = new Map(defaultGroups(objectType).map((g) => [g.name, g]));
      this.groups.set(objectType, groups);
    }
    return groups;
  }
}

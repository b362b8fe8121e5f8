/**
 * A small slice of the properties a new HubSpot account has, enough for the demo and for the
 * revenue-critical defaults Tollgate subscribes to (docs/architecture.md#the-flow). Enumerations keep HubSpot's
 * internal option values so invalid writes fail as they would there.
 */

export interface SandboxProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: { label: string; value: string; hidden: boolean; displayOrder: number }[];
  hubspotDefined?: boolean;
  calculated?: boolean;
  /** HubSpot's Sensitive Data mark; a change to a `sensitive`/`highly_sensitive` one is sent `isSensitive: true`. */
  dataSensitivity: DataSensitivity;
  modificationMetadata: { readOnlyValue: boolean; readOnlyDefinition: boolean; archivable: boolean };
  createdAt: string;
  updatedAt: string;
}

export const DATA_SENSITIVITIES = ["non_sensitive", "sensitive", "highly_sensitive"] as const;
export type DataSensitivity = (typeof DATA_SENSITIVITIES)[number];

export interface SandboxGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Spec = [name: string, type: string, fieldType: string, options?: string[]];

const LIFECYCLE = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
];
const LEAD_STATUS = [
  "NEW",
  "OPEN",
  "IN_PROGRESS",
  "OPEN_DEAL",
  "UNQUALIFIED",
  "ATTEMPTED_TO_CONTACT",
  "CONNECTED",
  "BAD_TIMING",
];
const DEAL_STAGES = [
  "appointmentscheduled",
  "qualifiedtobuy",
  "presentationscheduled",
  "decisionmakerboughtin",
  "contractsent",
  "closedwon",
  "closedlost",
];

const SPECS: Record<string, { group: string; groupLabel: string; props: Spec[] }> = {
  contacts: {
    group: "contactinformation",
    groupLabel: "Contact information",
    props: [
      ["email", "string", "text"],
      ["firstname", "string", "text"],
      ["lastname", "string", "text"],
      ["phone", "string", "phonenumber"],
      ["company", "string", "text"],
      ["jobtitle", "string", "text"],
      ["industry", "string", "text"],
      ["website", "string", "text"],
      ["city", "string", "text"],
      ["country", "string", "text"],
      ["lifecyclestage", "enumeration", "radio", LIFECYCLE],
      ["hs_lead_status", "enumeration", "radio", LEAD_STATUS],
      ["hubspot_owner_id", "string", "text"],
      ["hs_email_optout", "bool", "booleancheckbox", ["true", "false"]],
      ["associatedcompanyid", "number", "number"],
    ],
  },
  companies: {
    group: "companyinformation",
    groupLabel: "Company information",
    props: [
      ["name", "string", "text"],
      ["domain", "string", "text"],
      ["industry", "string", "text"],
      ["phone", "string", "phonenumber"],
      ["city", "string", "text"],
      ["country", "string", "text"],
      ["numberofemployees", "number", "number"],
      ["annualrevenue", "number", "number"],
      ["description", "string", "textarea"],
      ["lifecyclestage", "enumeration", "radio", LIFECYCLE],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
  deals: {
    group: "dealinformation",
    groupLabel: "Deal information",
    props: [
      ["dealname", "string", "text"],
      ["amount", "number", "number"],
      ["dealstage", "enumeration", "radio", DEAL_STAGES],
      ["pipeline", "enumeration", "select", ["default"]],
      ["closedate", "datetime", "date"],
      ["dealtype", "enumeration", "radio", ["newbusiness", "existingbusiness"]],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
  tasks: {
    group: "taskinformation",
    groupLabel: "Task information",
    props: [
      ["hs_task_subject", "string", "text"],
      ["hs_task_body", "string", "textarea"],
      ["hs_task_status", "enumeration", "select", ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"]],
      ["hs_task_priority", "enumeration", "select", ["NONE", "LOW", "MEDIUM", "HIGH"]],
      ["hs_task_type", "enumeration", "select", ["CALL", "EMAIL", "TODO"]],
      ["hs_timestamp", "datetime", "date"],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
  notes: {
    group: "noteinformation",
    groupLabel: "Note information",
    props: [
      ["hs_note_body", "string", "textarea"],
      ["hs_timestamp", "datetime", "date"],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
  emails: {
    group: "emailinformation",
    groupLabel: "Email information",
    props: [
      ["hs_email_subject", "string", "text"],
      ["hs_email_text", "string", "textarea"],
      ["hs_email_direction", "enumeration", "select", ["EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"]],
      ["hs_timestamp", "datetime", "date"],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
  leads: {
    group: "leadinformation",
    groupLabel: "Lead information",
    props: [
      ["hs_lead_name", "string", "text"],
      ["hs_pipeline_stage", "string", "text"],
      ["hubspot_owner_id", "string", "text"],
    ],
  },
};

/** Computed on read and never writable (HubSpot's `readOnlyValue`). */
export const SYSTEM_PROPERTIES = [
  "hs_object_id",
  "createdate",
  "lastmodifieddate",
  "hs_lastmodifieddate",
  "hs_createdate",
] as const;

/** What a read without `properties` returns, as HubSpot does for its standard objects. */
export const DEFAULT_READ_PROPERTIES: Record<string, string[]> = {
  contacts: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
  companies: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
  deals: [
    "amount",
    "closedate",
    "createdate",
    "dealname",
    "dealstage",
    "hs_lastmodifieddate",
    "hs_object_id",
    "pipeline",
  ],
};

export const SANDBOX_OBJECT_TYPES = Object.keys(SPECS);

export function defaultGroupName(objectType: string): string {
  return SPECS[objectType]?.group ?? "information";
}

export function defaultGroups(objectType: string): SandboxGroup[] {
  const spec = SPECS[objectType];
  return spec ? [{ name: spec.group, label: spec.groupLabel, displayOrder: -1, archived: false }] : [];
}

export function defaultProperties(objectType: string, at: string): SandboxProperty[] {
  const spec = SPECS[objectType];
  if (!spec) return [];
  const own = spec.props.map(([name, type, fieldType, options]) =>
    makeProperty({ name, type, fieldType, groupName: spec.group, options, hubspotDefined: true }, at),
  );
  const system = SYSTEM_PROPERTIES.map((name) =>
    makeProperty(
      {
        name,
        type: name === "hs_object_id" ? "number" : "datetime",
        fieldType: name === "hs_object_id" ? "number" : "date",
        groupName: spec.group,
        hubspotDefined: true,
        readOnly: true,
      },
      at,
    ),
  );
  return [...own, ...system];
}

export function makeProperty(
  p: {
    name: string;
    label?: string;
    type: string;
    fieldType: string;
    groupName: string;
    description?: string;
    options?: string[] | { label: string; value: string; hidden?: boolean; displayOrder?: number }[];
    hubspotDefined?: boolean;
    readOnly?: boolean;
    dataSensitivity?: DataSensitivity;
  },
  at: string,
): SandboxProperty {
  const options = (p.options ?? []).map((o, i) =>
    typeof o === "string"
      ? { label: o, value: o, hidden: false, displayOrder: i }
      : { label: o.label, value: o.value, hidden: o.hidden ?? false, displayOrder: o.displayOrder ?? i },
  );
  return {
    name: p.name,
    label: p.label ?? p.name,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
    description: p.description ?? "",
    options,
    ...(p.hubspotDefined ? { hubspotDefined: true } : {}),
    ...(p.readOnly ? { calculated: false } : {}),
    dataSensitivity: p.dataSensitivity ?? "non_sensitive",
    modificationMetadata: {
      readOnlyValue: p.readOnly === true,
      readOnlyDefinition: p.hubspotDefined === true,
      archivable: p.hubspotDefined !== true,
    },
    createdAt: at,
    updatedAt: at,
  };
}

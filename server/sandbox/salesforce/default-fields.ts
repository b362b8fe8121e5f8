/** A field as the sandbox describes it (a subset of `DescribeSObjectResult.fields`). */
export interface SandboxField {
  name: string;
  label: string;
  /**
   * Salesforce field type: `string`, `textarea`, `email`, `picklist`, `double`, `datetime`, `boolean`, `reference`,
   * `id`.
   */
  type: string;
  custom: boolean;
  updateable: boolean;
  picklistValues?: string[];
  /** Characters a text field holds (a longer value is refused, `STRING_TOO_LONG`). @defaultValue 255 for `string` */
  length?: number;
}

const text = (name: string, label = name): SandboxField => ({
  name,
  label,
  type: "string",
  custom: false,
  updateable: true,
});
const of = (name: string, type: string, label = name, extra: Partial<SandboxField> = {}): SandboxField => ({
  name,
  label,
  type,
  custom: false,
  updateable: true,
  ...extra,
});
const system = (name: string, type: string): SandboxField => ({
  name,
  label: name,
  type,
  custom: false,
  updateable: false,
});

const SYSTEM = [
  system("Id", "id"),
  system("CreatedDate", "datetime"),
  system("CreatedById", "reference"),
  system("LastModifiedDate", "datetime"),
  system("LastModifiedById", "reference"),
  system("SystemModstamp", "datetime"),
  of("OwnerId", "reference", "Owner ID"),
];

/** Standard objects and the standard fields the demo, tests and default policy use. */
export const DEFAULT_FIELDS: Record<string, SandboxField[]> = {
  Lead: [
    ...SYSTEM,
    text("FirstName", "First Name"),
    text("LastName", "Last Name"),
    text("Company"),
    of("Email", "email"),
    text("Title"),
    text("Phone"),
    of("Industry", "picklist", "Industry"),
    of("Status", "picklist", "Lead Status", {
      picklistValues: ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"],
    }),
    of("LeadSource", "picklist", "Lead Source"),
    of("Rating", "picklist"),
    of("NumberOfEmployees", "int", "Employees"),
    of("AnnualRevenue", "currency", "Annual Revenue"),
    of("Description", "textarea"),
    of("HasOptedOutOfEmail", "boolean", "Email Opt Out"),
    text("Website"),
  ],
  Contact: [
    ...SYSTEM,
    text("FirstName", "First Name"),
    text("LastName", "Last Name"),
    of("Email", "email"),
    text("Title"),
    text("Phone"),
    text("Department"),
    of("AccountId", "reference", "Account ID"),
    of("LeadSource", "picklist", "Lead Source"),
    of("HasOptedOutOfEmail", "boolean", "Email Opt Out"),
    of("Description", "textarea"),
  ],
  Account: [
    ...SYSTEM,
    text("Name", "Account Name"),
    of("Industry", "picklist"),
    of("Type", "picklist", "Account Type"),
    text("Website"),
    text("Phone"),
    of("NumberOfEmployees", "int", "Employees"),
    of("AnnualRevenue", "currency", "Annual Revenue"),
    of("Rating", "picklist"),
    of("Description", "textarea"),
  ],
  Opportunity: [
    ...SYSTEM,
    text("Name"),
    of("StageName", "picklist", "Stage"),
    of("Amount", "currency"),
    of("CloseDate", "date", "Close Date"),
    of("Probability", "percent"),
    of("Type", "picklist"),
    text("NextStep", "Next Step"),
    of("LeadSource", "picklist", "Lead Source"),
    of("AccountId", "reference", "Account ID"),
    of("Description", "textarea"),
  ],
  Task: [
    ...SYSTEM,
    text("Subject"),
    of("Status", "picklist", "Status", { picklistValues: ["Not Started", "In Progress", "Completed"] }),
    of("Priority", "picklist", "Priority", { picklistValues: ["High", "Normal", "Low"] }),
    of("ActivityDate", "date", "Due Date Only"),
    of("WhoId", "reference", "Name ID"),
    of("WhatId", "reference", "Related To ID"),
    of("Description", "textarea", "Description", { length: 32_000 }),
  ],
  User: [...SYSTEM, text("Username"), text("Name"), of("IsActive", "boolean"), of("Email", "email")],
  UserLogin: [
    system("Id", "id"),
    of("UserId", "reference"),
    of("IsFrozen", "boolean", "Is Frozen"),
    system("LastModifiedDate", "datetime"),
  ],
  PermissionSet: [system("Id", "id"), text("Name"), text("Label")],
  PlatformEventChannelMember: [system("Id", "id"), text("FullName"), text("EventChannel"), text("SelectedEntity")],
  PermissionSetAssignment: [system("Id", "id"), of("AssigneeId", "reference"), of("PermissionSetId", "reference")],
};

/** Objects whose changes Change Data Capture can publish (the governed ones). */
export const CDC_OBJECTS = ["Lead", "Contact", "Account", "Opportunity", "Task"];

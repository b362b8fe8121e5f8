/**
 * Generic, singular object names used in the policy (docs/contracts.md#policy-manifest), and how each CRM names them.
 * HubSpot accepts both the plural name and the object type id in its API paths; webhooks of
 * generic `object.*` subscriptions carry the id (`0-1`).
 */
export const POLICY_OBJECTS = [
  "contact",
  "company",
  "deal",
  "lead",
  "account",
  "opportunity",
  "task",
  "note",
  "email",
] as const;
export type PolicyObject = (typeof POLICY_OBJECTS)[number];

export const CRMS = ["hubspot", "salesforce"] as const;
export type CrmName = (typeof CRMS)[number];

export interface HubSpotObjectName {
  name: string;
  typeId: string;
  /** Legacy webhook subscription prefix (`contact.propertyChange`). */
  legacy?: string;
}

export const HUBSPOT_OBJECTS: Partial<Record<PolicyObject, HubSpotObjectName>> = {
  contact: { name: "contacts", typeId: "0-1", legacy: "contact" },
  company: { name: "companies", typeId: "0-2", legacy: "company" },
  deal: { name: "deals", typeId: "0-3", legacy: "deal" },
  task: { name: "tasks", typeId: "0-27" },
  note: { name: "notes", typeId: "0-46" },
  email: { name: "emails", typeId: "0-49" },
  lead: { name: "leads", typeId: "0-136" },
};

export const SALESFORCE_OBJECTS: Partial<Record<PolicyObject, string>> = {
  contact: "Contact",
  lead: "Lead",
  account: "Account",
  opportunity: "Opportunity",
  task: "Task",
  note: "Note",
  email: "EmailMessage",
  company: "Account",
  deal: "Opportunity",
};

/**
 * The HubSpot object a name means — HubSpot names one type three ways: the API name
 * (`contacts`), the type id (`0-1`, in generic `object.*` webhooks) and the legacy singular
 * (`contact`, in `contact.propertyChange`) — or `undefined` for a type Tollgate does not know.
 */
export function findHubSpotObject(crmObjectType: string): (HubSpotObjectName & { object: PolicyObject }) | undefined {
  const t = crmObjectType.toLowerCase();
  for (const [object, names] of Object.entries(HUBSPOT_OBJECTS)) {
    if (names && (names.name === t || names.typeId === t || names.legacy === t))
      return { ...names, object: object as PolicyObject };
  }
  return undefined;
}

/**
 * The name Tollgate stores a HubSpot record's type under, whichever way it was named
 * (`0-1`, `contact` → `contacts`; a custom type lowercased), so the webhook path and the card
 * routes find the same rows.
 */
export function toStoredHubSpotObjectType(crmObjectType: string): string {
  return findHubSpotObject(crmObjectType)?.name ?? crmObjectType.toLowerCase();
}

/**
 * Maps a CRM's object name (`contacts`, `0-1`, `contact`, `Lead`) to the policy's generic
 * name, or `undefined` for an object Tollgate does not govern.
 */
export function toPolicyObject(crm: CrmName, crmObjectType: string): PolicyObject | undefined {
  if (crm === "hubspot") return findHubSpotObject(crmObjectType)?.object;
  // Account and Opportunity come back as themselves, not as company/deal.
  const exact = Object.entries(SALESFORCE_OBJECTS).find(
    ([generic, name]) => name === crmObjectType && generic !== "company" && generic !== "deal",
  );
  return exact?.[0] as PolicyObject | undefined;
}

/** The name a CRM's API uses for a policy object (`contacts` for HubSpot, `Contact` for Salesforce). */
export function toCrmObjectType(crm: CrmName, object: PolicyObject): string | undefined {
  return crm === "hubspot" ? HUBSPOT_OBJECTS[object]?.name : SALESFORCE_OBJECTS[object];
}

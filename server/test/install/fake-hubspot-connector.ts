import type { CrmConnector, PropertyDefinition } from "../../src/crm/index.js";
import { CrmError } from "../../src/crm/index.js";

/**
 * An in-memory stand-in for the HubSpot connector's property calls, holding state between
 * runs so idempotency can be checked. Like HubSpot, creating a property that exists fails
 * (409), so a second install that tried to recreate anything would fail loudly.
 */
export interface FakeHubSpotConnector extends CrmConnector {
  properties: Map<string, PropertyDefinition[]>;
  groups: Map<string, Set<string>>;
  calls: { method: string; objectType: string; names?: string[] }[];
  /** Make the next `createProperties` on this object fail with this error. */
  failNextCreate: Map<string, Error>;
}

export function createFakeHubSpotConnector(seed: Record<string, PropertyDefinition[]>): FakeHubSpotConnector {
  const properties = new Map(Object.entries(seed).map(([k, v]) => [k, v.map((p) => structuredClone(p))]));
  const groups = new Map<string, Set<string>>();
  const calls: FakeHubSpotConnector["calls"] = [];
  const failNextCreate = new Map<string, Error>();
  const unsupported = () => {
    throw new Error("not part of the provisioning fake");
  };
  return {
    crm: "hubspot",
    tenantId: "62515",
    properties,
    groups,
    calls,
    failNextCreate,
    readRecords: unsupported,
    listRecords: unsupported,
    searchRecords: unsupported,
    writeRecords: unsupported,
    rateLimitState: () => undefined,
    async listProperties(objectType) {
      calls.push({ method: "listProperties", objectType });
      return structuredClone(properties.get(objectType) ?? []);
    },
    async ensurePropertyGroup(objectType, group) {
      calls.push({ method: "ensurePropertyGroup", objectType, names: [group.name] });
      const set = groups.get(objectType) ?? new Set<string>();
      groups.set(objectType, set);
      if (set.has(group.name)) return false;
      set.add(group.name);
      return true;
    },
    async createProperties(objectType, defs) {
      calls.push({ method: "createProperties", objectType, names: defs.map((d) => d.name) });
      const failure = failNextCreate.get(objectType);
      if (failure) {
        failNextCreate.delete(objectType);
        throw failure;
      }
      const list = properties.get(objectType) ?? [];
      for (const d of defs) {
        if (list.some((p) => p.name === d.name))
          throw new CrmError("bad_request", { status: 409, detail: `${d.name} already exists` });
        if (!d.groupName || !groups.get(objectType)?.has(d.groupName))
          throw new CrmError("bad_request", { status: 400, detail: `group ${d.groupName} missing` });
      }
      list.push(...defs.map((d) => structuredClone(d)));
      properties.set(objectType, list);
    },
  };
}

/** Canonical properties as HubSpot describes them (a few of each kind that matters). */
export function hubspotSeed(): Record<string, PropertyDefinition[]> {
  return {
    contacts: [
      { name: "email", label: "Email", type: "string", fieldType: "text" },
      { name: "jobtitle", label: "Job Title", type: "string", fieldType: "text" },
      {
        name: "industry",
        label: "Industry",
        type: "enumeration",
        fieldType: "select",
        options: [
          { label: "Fintech", value: "FINTECH", hidden: false, displayOrder: 0 },
          { label: "Retail", value: "RETAIL", hidden: true, displayOrder: 1 },
        ],
      },
      {
        name: "hs_lead_status",
        label: "Lead Status",
        type: "enumeration",
        fieldType: "radio",
        options: [{ label: "New", value: "NEW" }],
      },
      { name: "hubspot_owner_id", label: "Contact owner", type: "enumeration", fieldType: "select", options: [] },
      { name: "num_employees_score", label: "Employee score", type: "number", fieldType: "calculation_equation" },
      {
        name: "hs_analytics_num_visits",
        label: "Number of Pageviews",
        type: "number",
        fieldType: "number",
        readOnly: true,
      },
      { name: "hs_email_optout", label: "Unsubscribed from all email", type: "bool", fieldType: "booleancheckbox" },
    ],
    companies: [
      { name: "domain", label: "Company Domain Name", type: "string", fieldType: "text" },
      { name: "annualrevenue", label: "Annual Revenue", type: "number", fieldType: "number" },
    ],
    deals: [
      { name: "amount", label: "Amount", type: "number", fieldType: "number" },
      { name: "closedate", label: "Close Date", type: "datetime", fieldType: "date" },
    ],
  };
}

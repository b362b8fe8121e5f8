import type { CrmName } from "../../../shared/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { HubSpotTenancy } from "./hubspot-tenancy.js";

/** Which CRM a tenant is, and its connector, whichever CRM it is. */
export interface CrmRouting {
  crmOf(tenantId: string): CrmName;
  connectorFor(tenantId: string): Promise<CrmConnector>;
}

/** The Salesforce org (one per deployment) is its own tenant; every other tenant is a HubSpot portal. */
export function createCrmRouting(
  hubspot: Pick<HubSpotTenancy, "connectorFor">,
  salesforce: { orgId: string; connector: CrmConnector } | undefined,
): CrmRouting {
  const crmOf = (tenantId: string): CrmName => (salesforce && tenantId === salesforce.orgId ? "salesforce" : "hubspot");
  return {
    crmOf,
    connectorFor: async (tenantId) =>
      salesforce && crmOf(tenantId) === "salesforce" ? salesforce.connector : hubspot.connectorFor(tenantId),
  };
}

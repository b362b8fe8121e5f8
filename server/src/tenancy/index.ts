export { createHubSpotTenancy } from "./hubspot-tenancy.js";
export type { HubSpotTenancy } from "./hubspot-tenancy.js";
export { createSalesforceTenancy, provisionSalesforceAtStart, salesforceConfigured } from "./salesforce-tenancy.js";
export type { SalesforceTenancy } from "./salesforce-tenancy.js";
export { createCrmRouting } from "./create-crm-routing.js";
export type { CrmRouting } from "./create-crm-routing.js";

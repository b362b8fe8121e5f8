export { createTollgate } from "./create-tollgate.js";
export type { Tollgate, TollgateOptions } from "./create-tollgate.js";
export { createSalesforceTenancy, salesforceConfigured } from "./salesforce-tenancy.js";
export type { SalesforceTenancy } from "./salesforce-tenancy.js";

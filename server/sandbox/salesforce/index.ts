export { createSalesforceSandbox } from "./create-salesforce-sandbox.js";
export type { SalesforceSandbox, SalesforceSandboxOptions } from "./types.js";
export type { ChangeEventHeader, ChangeEventData } from "./change-event-log.js";
export type { SandboxUser } from "./org-users.js";
export type { JwtBearerConfig } from "./auth-routes.js";
export { apexCallout } from "./apex-callout.js";
export type { SandboxRow, SandboxValue } from "./record-store.js";

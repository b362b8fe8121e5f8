export { createTokenCipher } from "./token-cipher.js";
export type { TokenCipher, TokenCipherOptions } from "./token-cipher.js";
export { createHubSpotOAuth, DEFAULT_HUBSPOT_SCOPES, HUBSPOT_CALLBACK_PATH } from "./create-hubspot-oauth.js";
export type { HubSpotOAuth, HubSpotCallbackParams } from "./create-hubspot-oauth.js";
export { createPrivateAppInstallation } from "./create-private-app-installation.js";
export type { PrivateAppInstallation } from "./create-private-app-installation.js";
export { planProvisioning, listProvisionedObjects, ALWAYS_PROVISIONED_OBJECTS } from "./plan-provisioning.js";
export type { ProvisioningInput } from "./plan-provisioning.js";
export { getProvisioningPlan, provision, provisionGovernedFields } from "./provision.js";
export { formatProvisioningPlan } from "./format-provisioning-plan.js";
export { getProvenanceProperties, getSalesforceProvenanceProperties, TOLLGATE_GROUP } from "./provenance-properties.js";
export { getShadowProperty } from "./get-shadow-property.js";
export {
  planWebhookCoverage,
  planWebhookSubscriptions,
  renderWebhooksHsmeta,
  HUBSPOT_SUBSCRIPTION_CAP,
  REVENUE_CRITICAL_PROPERTIES,
} from "./plan-webhook-subscriptions.js";
export { HUBSPOT_STANDARD_PROPERTIES } from "./standard-properties.js";
export type {
  PortalProperties,
  SkippedField,
  WebhookCoverage,
  CrmObjectSubscription,
  CrmObjectSubscriptionType,
  WebhooksHsmeta,
  WebhooksHsmetaOptions,
} from "./plan-webhook-subscriptions.js";
export { createInstallLimiter, createInstallRouter, readCookie, sendInstallPage } from "./create-install-router.js";
export { renderInstallPage } from "./render-install-page.js";
export { selectInstallation } from "./installation-store.js";
export { requestHubSpotToken, revokeHubSpotRefreshToken } from "./hubspot-token-endpoint.js";
export { consumeOAuthState, createOAuthState, oauthStateKey, OAUTH_STATE_TTL_MS } from "./oauth-state.js";
export type { TokenEndpoint } from "./hubspot-token-endpoint.js";
export type { InstallRouterOptions } from "./create-install-router.js";
export {
  TokenDecryptError,
  OAuthStateError,
  OAuthDeniedError,
  OAuthCallbackError,
  OAuthTokenError,
  NotInstalledError,
  WebhookSubscriptionCapError,
} from "./errors.js";
export type {
  TokenProvider,
  Installation,
  AuthMode,
  InstallationStatus,
  HubSpotOAuthOptions,
  GovernedField,
  ProvisioningPlan,
  ObjectPlan,
  PlannedProperty,
  ProvisioningProblem,
  ProvisioningResult,
  ProvisionedItem,
} from "./types.js";
export {
  planSalesforceInstall,
  formatSalesforceInstallPlan,
  SALESFORCE_BASE_OBJECTS,
  TOLLGATE_FIELDS_PERMISSION_SET,
} from "./plan-salesforce-install.js";
export type { SalesforceInstallPlan } from "./plan-salesforce-install.js";
export { createSetupRunner, SETUP_REASONS, SETUP_STATES } from "./create-setup-runner.js";
export type {
  SetupRunner,
  SetupRunnerOptions,
  SetupRunOptions,
  SetupProgress,
  SetupReason,
  SetupState,
  SetupObjectProgress,
} from "./create-setup-runner.js";
export { createHubSpotSetup } from "./create-hubspot-setup.js";
export type { HubSpotSetup } from "./create-hubspot-setup.js";
export { formatSetupProgress } from "./format-setup-progress.js";

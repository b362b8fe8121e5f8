import type { CrmName, PolicyObject } from "../../../shared/index.js";
import type { GovernedField as PolicyGovernedField } from "../policy/index.js";
import type { Database } from "../db/index.js";
import type { PropertyDefinition } from "../crm/index.js";
import type { TokenCipher } from "./token-cipher.js";

/** Anything that hands out a CRM access token for a tenant (OAuth install or private app). */
export interface TokenProvider {
  /**
   * A token valid for at least the next few minutes.
   * @throws NotInstalledError when the tenant has no active installation.
   */
  getAccessToken(tenantId: string): Promise<string>;
}

export const AUTH_MODES = ["oauth", "private_app"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const INSTALLATION_STATUSES = ["active", "uninstalled", "reauth_required"] as const;
export type InstallationStatus = (typeof INSTALLATION_STATUSES)[number];

/** One installation as the rest of Tollgate sees it: everything but the tokens. */
export interface Installation {
  /** HubSpot portal id (`hub_id`). */
  tenantId: string;
  crm: CrmName;
  authMode: AuthMode;
  status: InstallationStatus;
  scopes: string[];
  hubDomain: string | undefined;
  appId: string | undefined;
  /** The HubSpot user (email) who installed, when HubSpot said. */
  installedBy: string | undefined;
  installedAt: Date;
  uninstalledAt: Date | undefined;
  /** When the current access token expires (OAuth only). */
  expiresAt: Date | undefined;
}

export interface HubSpotOAuthOptions {
  db: Database;
  clientId: string;
  clientSecret: string;
  /** `TOLLGATE_PUBLIC_URL`; the redirect URI is `<publicUrl>/oauth/hubspot/callback`. */
  publicUrl: string;
  /** Required scopes, e.g. {@link DEFAULT_HUBSPOT_SCOPES}. */
  scopes: readonly string[];
  /** @defaultValue `[]` */
  optionalScopes?: readonly string[];
  /**
   * `HUBSPOT_API_BASE_URL`; the token endpoints live under it.
   * @defaultValue `https://api.hubapi.com`
   */
  apiBaseUrl?: string;
  /**
   * Where the user is sent to approve the install.
   * @defaultValue `https://app.hubspot.com`
   * @see https://developers.hubspot.com/docs/api/working-with-oauth
   */
  authorizeBaseUrl?: string;
  cipher: TokenCipher;
  /** @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

/**
 * What install needs of one field the policy names (docs/contracts.md#policy-manifest): the subset of the policy's
 * `listGovernedFields(policy)` entries it reads, so those entries pass straight in.
 * `proposable`: agents may write or propose it, so it gets a shadow `ai_proposed_<field>`.
 */
export type GovernedField = Pick<PolicyGovernedField, "object" | "field" | "proposable">;

export type ProvisionedKind = "group" | "provenance" | "shadow";

/** One property (or the group) the plan wants on one HubSpot object. */
export interface PlannedProperty {
  kind: Exclude<ProvisionedKind, "group">;
  definition: PropertyDefinition;
  /** `create`: missing from the CRM; `exists`: already there, left alone. */
  action: "create" | "exists";
  /** For shadows: the canonical field it proposes values for. */
  canonical?: string | undefined;
}

export interface ObjectPlan {
  object: PolicyObject;
  /** HubSpot's API name (`contacts`). */
  objectType: string;
  group: { name: string; label: string };
  properties: PlannedProperty[];
}

export type ProvisioningProblemKind =
  "missing_canonical" | "unsupported_object" | "type_mismatch" | "not_a_canonical_field" | "create_failed";

export interface ProvisioningProblem {
  kind: ProvisioningProblemKind;
  objectType: string;
  /** The property concerned, when there is one. */
  name?: string | undefined;
  message: string;
}

export interface ProvisioningPlan {
  objects: ObjectPlan[];
  problems: ProvisioningProblem[];
}

export interface ProvisionedItem {
  kind: ProvisionedKind;
  objectType: string;
  name: string;
}

export interface ProvisioningResult {
  created: ProvisionedItem[];
  existing: ProvisionedItem[];
  problems: ProvisioningProblem[];
}

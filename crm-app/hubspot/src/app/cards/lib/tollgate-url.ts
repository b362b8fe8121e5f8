import type { BaseContext, CrmContext } from "@hubspot/ui-extensions";

/**
 * The profile variable holding Tollgate's public URL (`src/hsprofile.<name>.json`). The same
 * variable fills `app-hsmeta.json` `permittedUrls.fetch` (`hubspot.fetch` refuses any other
 * origin) and the webhooks target, and HubSpot hands it to the cards as `context.variables`.
 */
export const TOLLGATE_URL_VARIABLE = "TOLLGATE_URL";

/** Tollgate's public URL from the uploaded profile, without a trailing slash; `""` when none was set. */
export function tollgateBaseUrlOf(context: Pick<CrmContext, "variables">): string {
  const value = context.variables?.[TOLLGATE_URL_VARIABLE];
  return typeof value === "string" ? value.replace(/\/+$/, "") : "";
}

/**
 * Who is looking at which record. Only the record goes into URLs: HubSpot appends the viewer's
 * `userId`, `portalId`, `userEmail` and `appId` to every `hubspot.fetch` request and signs them,
 * and Tollgate refuses a request that names any of them twice (docs/contracts.md, card identity).
 */
export interface PageIdentity {
  /** Tollgate's public URL (see {@link tollgateBaseUrlOf}). */
  baseUrl: string;
  portalId: number;
  userId: number;
  userEmail: string;
  /** The record a card is on; a page (home, settings) is on none. */
  objectId?: number | string | undefined;
}

/** A record card's identity: a page's, on one record. */
export interface CardIdentity extends PageIdentity {
  objectId: number | string;
  /** The object type as HubSpot's API names it: `contacts`, `companies`, `deals`, or an id like `2-123`. */
  objectType: string;
}

// Tollgate's routes take the object type as the CRM's API names it (docs/contracts.md#http-api); the names read
// better in the audit log than the ids, and custom objects keep their id.
const OBJECT_TYPE_NAMES: Record<string, string> = { "0-1": "contacts", "0-2": "companies", "0-3": "deals" };

export function identityOf(context: CrmContext): CardIdentity {
  return {
    baseUrl: tollgateBaseUrlOf(context),
    portalId: context.portal.id,
    userId: context.user.id,
    userEmail: context.user.email,
    objectId: context.crm.objectId,
    objectType: OBJECT_TYPE_NAMES[context.crm.objectTypeId] ?? context.crm.objectTypeId,
  };
}

/** The app's pages (home, settings) act for the viewer across records: no record goes into their URLs. */
export function pageIdentityOf(context: BaseContext): PageIdentity {
  return {
    baseUrl: tollgateBaseUrlOf(context),
    portalId: context.portal.id,
    userId: context.user.id,
    userEmail: context.user.email,
  };
}

const IDENTITY_PARAMS = new Set(["userId", "portalId", "userEmail", "appId"]);

/**
 * `identity.baseUrl + path`, with the record the card is on (`objectId`: Tollgate acts on that
 * record only) and `query`. Never the user or portal: HubSpot appends those itself and signs the
 * whole URL (v3 over method + URI + body + timestamp); a second copy from the card is refused.
 */
export function buildTollgateUrl(
  path: string,
  identity: PageIdentity,
  query: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams(identity.objectId === undefined ? {} : { objectId: String(identity.objectId) });
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && !IDENTITY_PARAMS.has(key)) params.set(key, String(value));
  }
  return `${identity.baseUrl}${path}?${params.toString()}`;
}

/** `/v1/records/hubspot/:objectType/:objectId/<leaf>`. */
export function recordPath(identity: CardIdentity, leaf: "approvals" | "provenance"): string {
  return `/v1/records/hubspot/${encodeURIComponent(identity.objectType)}/${encodeURIComponent(String(identity.objectId))}/${leaf}`;
}

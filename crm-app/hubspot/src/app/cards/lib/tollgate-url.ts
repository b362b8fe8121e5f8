import type { CrmContext } from "@hubspot/ui-extensions";

/**
 * Tollgate's public URL. It must also be listed in `app-hsmeta.json` `permittedUrls.fetch`:
 * `hubspot.fetch` refuses any other origin, and `hs project dev` proxies this one to a local
 * Tollgate through `local.json`.
 */
export const TOLLGATE_BASE_URL = "https://tollgate.example.com";

/** Who is asking and about which record; sent on every request (see {@link buildTollgateUrl}). */
export interface CardIdentity {
  portalId: number;
  userId: number;
  userEmail: string;
  objectId: number | string;
  /** The object type as HubSpot's API names it: `contacts`, `companies`, `deals`, or an id like `2-123`. */
  objectType: string;
}

// Tollgate's routes take the object type as the CRM's API names it (docs/contracts.md#http-api); the names read
// better in the audit log than the ids, and custom objects keep their id.
const OBJECT_TYPE_NAMES: Record<string, string> = { "0-1": "contacts", "0-2": "companies", "0-3": "deals" };

export function identityOf(context: CrmContext): CardIdentity {
  return {
    portalId: context.portal.id,
    userId: context.user.id,
    userEmail: context.user.email,
    objectId: context.crm.objectId,
    objectType: OBJECT_TYPE_NAMES[context.crm.objectTypeId] ?? context.crm.objectTypeId,
  };
}

/**
 * `TOLLGATE_BASE_URL + path`, with the identity as query parameters. HubSpot signs the whole
 * URL (v3 signature over method + URI + body + timestamp) and cards may send no custom headers,
 * so the signed query is the only place Tollgate can read the approver from.
 */
export function buildTollgateUrl(
  path: string,
  identity: CardIdentity,
  query: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams({
    portalId: String(identity.portalId),
    userId: String(identity.userId),
    userEmail: identity.userEmail,
    objectId: String(identity.objectId),
  });
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return `${TOLLGATE_BASE_URL}${path}?${params.toString()}`;
}

/** `/v1/records/hubspot/:objectType/:objectId/<leaf>`. */
export function recordPath(identity: CardIdentity, leaf: "approvals" | "provenance"): string {
  return `/v1/records/hubspot/${encodeURIComponent(identity.objectType)}/${encodeURIComponent(String(identity.objectId))}/${leaf}`;
}

import type { Config } from "../config/index.js";
import type { CrmUser } from "../crm/index.js";
import type { CardAuthOptions } from "./card-auth.js";

/**
 * The card authentication the configuration allows. HubSpot cards are accepted only when
 * Tollgate can tell its own app's requests (secret and app id); Salesforce cards when the org and
 * its secret are known. Deciding reads the CRM's own record of the card user (`getUser`, cached
 * ≤ 5 minutes). `undefined`: every card request is refused.
 */
export function cardAuthOf(
  config: Config,
  ports: {
    isInstalled: (portalId: string) => Promise<boolean>;
    salesforceOrgId: string | undefined;
    getUser: (tenantId: string, userId: string) => Promise<CrmUser | undefined>;
    /** A card user's Tollgate role (`CardAuthOptions.roleOf`). */
    roleOf?: CardAuthOptions["roleOf"];
  },
): CardAuthOptions | undefined {
  const salesforce =
    ports.salesforceOrgId && config.salesforce.webhookSecret
      ? { orgId: ports.salesforceOrgId, secret: config.salesforce.webhookSecret }
      : undefined;
  if (!(config.hubspot.clientSecret && config.hubspot.appId) && !salesforce) return undefined;
  return {
    clientSecret: config.hubspot.clientSecret,
    publicUrl: config.publicUrl,
    devProxyUrl: config.devProxyUrl,
    appId: config.hubspot.appId,
    isInstalled: ports.isInstalled,
    salesforce,
    getUser: (card) => ports.getUser(card.portalId, card.userId),
    roleOf: ports.roleOf,
  };
}

import type { Router } from "express";
import type { Redis } from "ioredis";
import type { Config } from "../config/index.js";
import type { CrmConnector, CrmRateBudget } from "../crm/index.js";
import { createHubSpotConnector } from "../crm/hubspot/index.js";
import type { Database } from "../db/index.js";
import { NotFoundError } from "../errors/index.js";
import {
  DEFAULT_HUBSPOT_SCOPES,
  createHubSpotOAuth,
  createInstallRouter,
  createPrivateAppInstallation,
  createTokenCipher,
  provisionGovernedFields,
  selectInstallation,
  type GovernedField,
  type Installation,
  type ProvisioningResult,
  type TokenProvider,
} from "../install/index.js";
import { instrumentConnector, type Logger, type Metrics } from "../observability/index.js";

export interface HubSpotTenancy {
  /** The tenant's connector (one per portal, reused). */
  connectorFor(tenantId: string): Promise<CrmConnector>;
  /** Creates the Tollgate group, provenance and shadow properties (idempotent). */
  provision(tenantId: string, fields: readonly GovernedField[]): Promise<ProvisioningResult>;
  /**
   * Marks an OAuth installation uninstalled and wipes its tokens (its data and audit stay).
   * @throws NotFoundError in private-app mode, whose token lives in the environment.
   */
  uninstall(tenantId: string): Promise<void>;
  /** Whether Tollgate is installed (and not uninstalled) in this portal: signed cards from others are refused. */
  isInstalled(tenantId: string): Promise<boolean>;
  /** The OAuth install routes, when OAuth is configured; `shared` gives every process one install budget. */
  routers(
    onInstalled: (installation: Installation) => Promise<void>,
    shared?: { redis: Redis; prefix: string },
  ): Router[];
}

/**
 * How Tollgate reaches each HubSpot portal: one static private-app token for one portal, or
 * OAuth tokens per installed portal, stored encrypted.
 */
export async function createHubSpotTenancy(options: {
  config: Config;
  db: Database;
  logger: Logger;
  metrics?: Metrics;
  /** Reads and searches of every process share one budget per portal. */
  budget?: CrmRateBudget;
}): Promise<HubSpotTenancy> {
  const { config, db, logger } = options;
  const hs = config.hubspot;
  let tokens: TokenProvider | undefined;
  let oauth: ReturnType<typeof createHubSpotOAuth> | undefined;
  if (hs.mode === "private_app") {
    const installation = createPrivateAppInstallation({ accessToken: hs.accessToken!, portalId: hs.portalId! });
    await installation.save(db);
    tokens = installation;
  } else if (hs.mode === "oauth") {
    oauth = createHubSpotOAuth({
      db,
      clientId: hs.clientId!,
      clientSecret: hs.clientSecret!,
      publicUrl: config.publicUrl,
      scopes: DEFAULT_HUBSPOT_SCOPES,
      apiBaseUrl: hs.apiBaseUrl,
      // Tokens sealed under a key rotated out still open (and are re-sealed under the new one).
      cipher: createTokenCipher({ key: config.encryptionKey!, previousKeys: config.previousEncryptionKeys }),
    });
    tokens = oauth;
  }

  const connectors = new Map<string, CrmConnector>();
  async function connectorFor(tenantId: string): Promise<CrmConnector> {
    if (!tokens)
      throw new NotFoundError(
        "HubSpot is not configured: set HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID, or the OAuth client",
      );
    let c = connectors.get(tenantId);
    if (!c) {
      const provider = tokens;
      c = createHubSpotConnector({
        portalId: tenantId,
        baseUrl: hs.apiBaseUrl,
        getAccessToken: () => provider.getAccessToken(tenantId),
        ...(options.budget ? { budget: (call) => options.budget!.take(tenantId, call) } : {}),
      });
      if (options.metrics) c = instrumentConnector(c, options.metrics);
      connectors.set(tenantId, c);
    }
    return c;
  }

  return {
    connectorFor,
    async provision(tenantId, fields) {
      const { result } = await provisionGovernedFields(await connectorFor(tenantId), fields);
      for (const p of result.problems) logger.warn({ tenantId, problem: p }, "provisioning problem");
      return result;
    },
    async isInstalled(tenantId) {
      if (hs.mode === "private_app") return tenantId === hs.portalId;
      if (hs.mode !== "oauth") return false;
      return (await selectInstallation(db, tenantId))?.status === "active";
    },
    async uninstall(tenantId) {
      if (!oauth)
        throw new NotFoundError("no OAuth installations here: in private-app mode remove HUBSPOT_ACCESS_TOKEN instead");
      await oauth.uninstall(tenantId);
      connectors.delete(tenantId);
    },
    routers(onInstalled, shared) {
      return oauth ? [createInstallRouter({ oauth, onInstalled, logger, ...shared })] : [];
    },
  };
}

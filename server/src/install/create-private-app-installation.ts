import type { Database } from "../db/index.js";
import { NotInstalledError } from "./errors.js";
import { toInstallation, upsertInstallation } from "./installation-store.js";
import type { Installation, TokenProvider } from "./types.js";

export interface PrivateAppInstallation extends TokenProvider {
  readonly tenantId: string;
  readonly authMode: "private_app";
  /**
   * Records the installation (no token: it stays in the environment), so every tenant
   * Tollgate serves has an `installations` row. Idempotent.
   */
  save(db: Database, options?: { now?: Date }): Promise<Installation>;
}

/**
 * Private-app mode (docs/contracts.md#configuration: `HUBSPOT_ACCESS_TOKEN` + `HUBSPOT_PORTAL_ID`): one portal, a
 * static token, no OAuth and nothing to refresh.
 *
 * @example
 * const tokens = createPrivateAppInstallation({ accessToken: env.HUBSPOT_ACCESS_TOKEN, portalId: env.HUBSPOT_PORTAL_ID
 * });
 * await tokens.getAccessToken("123456");
 */
export function createPrivateAppInstallation(options: {
  accessToken: string;
  portalId: string;
}): PrivateAppInstallation {
  const { accessToken, portalId } = options;
  return {
    tenantId: portalId,
    authMode: "private_app",
    async getAccessToken(tenantId) {
      // Deny by default: the static token belongs to one portal and is never lent to another.
      if (tenantId !== portalId) throw new NotInstalledError(tenantId, "never_installed");
      return accessToken;
    },
    async save(db, opts = {}) {
      const row = await db.transaction((tx) =>
        upsertInstallation(tx, {
          tenantId: portalId,
          crm: "hubspot",
          authMode: "private_app",
          accessTokenEnc: null,
          refreshTokenEnc: null,
          expiresAt: null,
          scopes: [],
          hubDomain: undefined,
          appId: undefined,
          installedBy: undefined,
          now: opts.now ?? new Date(),
        }),
      );
      return toInstallation(row);
    },
  };
}

import { NotInstalledError, OAuthCallbackError, OAuthDeniedError, OAuthStateError, OAuthTokenError } from "./errors.js";
import {
  fetchHubSpotTokenInfo,
  requestHubSpotToken,
  type HubSpotTokenInfo,
  type TokenEndpoint,
} from "./hubspot-token-endpoint.js";
import {
  markReauthRequired,
  selectInstallation,
  toDate,
  toInstallation,
  uninstallInstallation,
  updateInstallationTokens,
  upsertInstallation,
  type InstallationRow,
} from "./installation-store.js";
import { consumeOAuthState, createOAuthState, oauthStateKey } from "./oauth-state.js";
import type { HubSpotOAuthOptions, Installation, TokenProvider } from "./types.js";

/** The path HubSpot redirects back to; registered as the app's redirect URL. */
export const HUBSPOT_CALLBACK_PATH = "/oauth/hubspot/callback";

/**
 * What Tollgate needs: records and property definitions (provisioning) of every object it governs
 * — contacts, companies, deals and leads (the leads API asks for `crm.objects.leads.*`; lead
 * properties for `crm.schemas.leads.*`) — owners, to show names instead of owner ids, and the
 * account's users, whose teams and roles approver groups are checked against
 * (docs/operations.md, security).
 */
export const DEFAULT_HUBSPOT_SCOPES = [
  "oauth",
  "crm.objects.owners.read",
  "settings.users.read",
  ...["contacts", "companies", "deals", "leads"].flatMap((o) => [
    `crm.objects.${o}.read`,
    `crm.objects.${o}.write`,
    `crm.schemas.${o}.read`,
    `crm.schemas.${o}.write`,
  ]),
] as const;

// Refresh this long before expiry, so a token handed out stays valid for the call it is for.
const REFRESH_MARGIN_MS = 5 * 60_000;
// If a refresh fails for a passing reason, a token with at least this much life left still serves.
const FALLBACK_MIN_LIFE_MS = 30_000;

export interface HubSpotCallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  /** The state the browser's cookie carries (set by the install route): it must equal `state`. */
  browserState?: string | undefined;
  /** HubSpot's `?error=` when the user declined or the request was invalid. */
  error?: string | undefined;
  errorDescription?: string | undefined;
}

export interface HubSpotOAuth extends TokenProvider {
  readonly redirectUri: string;
  /** A fresh install link with a one-time signed `state` (valid 10 minutes; nothing is stored). */
  authorizeUrl(options?: { portalId?: string }): Promise<string>;
  /**
   * Completes an install: consumes the state, exchanges the code, learns the portal, stores the
   * tokens encrypted.
   * @throws OAuthStateError (400) · OAuthDeniedError (400) · OAuthCallbackError (400) · OAuthTokenError (502)
   */
  handleCallback(params: HubSpotCallbackParams): Promise<Installation>;
  getInstallation(tenantId: string): Promise<Installation | undefined>;
  /** Marks the installation uninstalled and wipes its tokens; data is kept. */
  uninstall(tenantId: string): Promise<Installation | undefined>;
}

/**
 * HubSpot marketplace-app OAuth (HubSpot: https://developers.hubspot.com/docs/api/working-with-oauth).
 *
 * @example
 * const oauth = createHubSpotOAuth({ db, clientId, clientSecret, publicUrl, scopes: DEFAULT_HUBSPOT_SCOPES, cipher });
 * res.redirect(await oauth.authorizeUrl());
 * const installation = await oauth.handleCallback({ code, state });
 * const token = await oauth.getAccessToken(installation.tenantId);
 */
export function createHubSpotOAuth(options: HubSpotOAuthOptions): HubSpotOAuth {
  const { db, cipher } = options;
  const stateKey = oauthStateKey(options.clientSecret);
  const now = options.now ?? (() => new Date());
  const redirectUri = `${options.publicUrl.replace(/\/+$/, "")}${HUBSPOT_CALLBACK_PATH}`;
  const authorizeBase = (options.authorizeBaseUrl ?? "https://app.hubspot.com").replace(/\/+$/, "");
  const endpoint: TokenEndpoint = {
    // Looked up per call, so an interceptor installed later (tests) still sees the request.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    apiBaseUrl: (options.apiBaseUrl ?? "https://api.hubapi.com").replace(/\/+$/, ""),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  };
  // Single-flight per tenant: concurrent callers of an expiring token share one refresh.
  const refreshing = new Map<string, Promise<string>>();

  const seal = (tenantId: string, kind: "access" | "refresh", token: string) =>
    cipher.encrypt(token, `${tenantId}:${kind}`);
  const open = (tenantId: string, kind: "access" | "refresh", sealed: string) =>
    cipher.decrypt(sealed, `${tenantId}:${kind}`);

  function activeRow(
    tenantId: string,
    row: InstallationRow | undefined,
  ): InstallationRow & { access_token_enc: string; refresh_token_enc: string; expires_at: Date | string } {
    if (!row) throw new NotInstalledError(tenantId, "never_installed");
    if (row.status !== "active") throw new NotInstalledError(tenantId, row.status);
    if (row.auth_mode !== "oauth" || !row.access_token_enc || !row.refresh_token_enc || row.expires_at === null) {
      throw new NotInstalledError(tenantId, "other_auth_mode");
    }
    return row as InstallationRow & { access_token_enc: string; refresh_token_enc: string; expires_at: Date | string };
  }

  const lifeLeft = (row: { expires_at: Date | string }) => toDate(row.expires_at).getTime() - now().getTime();

  async function refresh(tenantId: string): Promise<string> {
    // Re-read: another caller (or process) may have refreshed while this one waited.
    const row = activeRow(tenantId, await selectInstallation(db, tenantId));
    if (lifeLeft(row) > REFRESH_MARGIN_MS) return open(tenantId, "access", row.access_token_enc);
    const refreshToken = open(tenantId, "refresh", row.refresh_token_enc);
    let tokens;
    try {
      tokens = await requestHubSpotToken(endpoint, { grant_type: "refresh_token", refresh_token: refreshToken });
    } catch (err) {
      if (err instanceof OAuthTokenError && (err.status === 400 || err.status === 401)) {
        // HubSpot refused the refresh token itself (revoked, app uninstalled): only a reinstall helps.
        await markReauthRequired(db, tenantId, row.token_version, now());
        throw err;
      }
      if (lifeLeft(row) > FALLBACK_MIN_LIFE_MS) return open(tenantId, "access", row.access_token_enc);
      throw err;
    }
    const at = now();
    // Re-sealing with the current key also completes a key rotation for this row.
    const updated = await updateInstallationTokens(db, {
      tenantId,
      tokenVersion: row.token_version,
      accessTokenEnc: seal(tenantId, "access", tokens.accessToken),
      refreshTokenEnc: seal(tenantId, "refresh", tokens.refreshToken ?? refreshToken),
      expiresAt: new Date(at.getTime() + tokens.expiresInSeconds * 1000),
      scopes: tokens.scopes,
      now: at,
    });
    if (!updated) {
      // Lost the compare-and-swap: someone else refreshed (our token is valid too) or uninstalled.
      activeRow(tenantId, await selectInstallation(db, tenantId));
    }
    return tokens.accessToken;
  }

  return {
    redirectUri,

    async authorizeUrl(opts = {}) {
      const state = createOAuthState(stateKey, now());
      const path = opts.portalId ? `/oauth/${encodeURIComponent(opts.portalId)}/authorize` : "/oauth/authorize";
      const params: [string, string][] = [
        ["client_id", options.clientId],
        ["redirect_uri", redirectUri],
        ["scope", options.scopes.join(" ")],
      ];
      if (options.optionalScopes?.length) params.push(["optional_scope", options.optionalScopes.join(" ")]);
      params.push(["state", state]);
      // %20 between scopes, as HubSpot's own OauthDiscovery builds it (URLSearchParams would write +).
      return `${authorizeBase}${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
    },

    async handleCallback(params) {
      if (params.error) {
        // Burn the state anyway, so the link cannot be replayed; its own problem matters less.
        await consumeOAuthState(db, stateKey, params.state, params.browserState, now()).catch((err: unknown) => {
          if (!(err instanceof OAuthStateError)) throw err;
        });
        throw new OAuthDeniedError(params.error, params.errorDescription);
      }
      await consumeOAuthState(db, stateKey, params.state, params.browserState, now());
      if (!params.code) throw new OAuthCallbackError("HubSpot's redirect carried no code. Start the install again.");

      const tokens = await requestHubSpotToken(endpoint, {
        grant_type: "authorization_code",
        code: params.code,
        redirect_uri: redirectUri,
      });
      // Token info adds the hub domain, app id and installing user; when the token answer
      // already named the portal, that detail is welcome but not required.
      let info: HubSpotTokenInfo | undefined;
      try {
        info = await fetchHubSpotTokenInfo(endpoint, tokens.accessToken);
      } catch (err) {
        if (tokens.hubId === undefined) throw err;
      }
      const tenantId = tokens.hubId ?? info!.hubId;
      const at = now();
      const row = await db.transaction((tx) =>
        upsertInstallation(tx, {
          tenantId,
          crm: "hubspot",
          authMode: "oauth",
          accessTokenEnc: seal(tenantId, "access", tokens.accessToken),
          refreshTokenEnc: seal(tenantId, "refresh", tokens.refreshToken!),
          expiresAt: new Date(at.getTime() + tokens.expiresInSeconds * 1000),
          scopes: tokens.scopes ?? info?.scopes ?? [],
          hubDomain: info?.hubDomain,
          appId: info?.appId,
          installedBy: info?.user,
          now: at,
        }),
      );
      return toInstallation(row);
    },

    async getAccessToken(tenantId) {
      const row = activeRow(tenantId, await selectInstallation(db, tenantId));
      if (lifeLeft(row) > REFRESH_MARGIN_MS) return open(tenantId, "access", row.access_token_enc);
      let pending = refreshing.get(tenantId);
      if (!pending) {
        pending = refresh(tenantId).finally(() => refreshing.delete(tenantId));
        refreshing.set(tenantId, pending);
      }
      return pending;
    },

    async getInstallation(tenantId) {
      const row = await selectInstallation(db, tenantId);
      return row && toInstallation(row);
    },

    async uninstall(tenantId) {
      const row = await uninstallInstallation(db, tenantId, now());
      return row && toInstallation(row);
    },
  };
}

import {
  consumeOAuthState,
  createOAuthState,
  oauthStateKey,
  requestHubSpotToken,
  revokeHubSpotRefreshToken,
  OAuthTokenError,
  type TokenCipher,
  type TokenEndpoint,
} from "../install/index.js";
import type { Database } from "../db/index.js";
import { AgentAppNotConfiguredError, ReconsentRequiredError } from "./errors.js";
import { loadSql } from "./load-sql.js";

/** An agent's own HubSpot app: its client id from the policy, its secret from configuration. */
export interface AgentApp {
  clientId: string;
  clientSecret: string;
}

export interface AgentTokenBrokerOptions {
  db: Database;
  cipher: TokenCipher;
  /** Tollgate's public URL: the consent's redirect is `<publicUrl>/oauth/agents/<agentId>/callback`. */
  publicUrl: string;
  appOf(agentId: string): AgentApp | undefined;
  apiBaseUrl?: string;
  authorizeBaseUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** What a trip did to one agent's app token. */
export interface AgentTokenRevoke {
  agentId: string;
  /** When the refresh token was revoked at HubSpot (now or by an earlier check of the same switch). */
  revokedAt: string;
  /** The expiry of the last access token Tollgate issued: HubSpot does not revoke it. */
  lastAccessExpiresAt: string | null;
}

export interface AgentTokenBroker {
  installPath(agentId: string): string;
  /** The consent URL for the agent's app, with a signed one-time state the browser's cookie must carry back. */
  authorizeUrl(agentId: string): { url: string; state: string };
  /** Exchanges the consent's code and stores the refresh token encrypted (tenant = the portal that consented). */
  handleCallback(
    agentId: string,
    params: { code?: string; state?: string; browserState?: string },
  ): Promise<{ tenantId: string }>;
  /** A short-lived access token minted from the stored refresh token. @throws ReconsentRequiredError (409) */
  issueAccessToken(tenantId: string, agentId: string): Promise<{ accessToken: string; expiresAt: string }>;
  /**
   * Revokes the agents' refresh tokens at HubSpot and drops them; agents with no token installed through
   * Tollgate are left out. A revoke HubSpot does not confirm throws (the point fails and is retried).
   */
  revokeFor(tenantId: string, agentIds: readonly string[], since: Date): Promise<AgentTokenRevoke[]>;
}

interface Row {
  agent_id: string;
  client_id: string;
  refresh_token_enc: string | null;
  status: "active" | "reconsent_required";
  revoked_at: Date | null;
  last_access_expires_at: Date | null;
}

/**
 * Agent apps installed through Tollgate (docs/contracts.md, `crm_tokens_revoked`): the agent's refresh
 * token never leaves Tollgate, the agent gets short-lived access tokens, and a kill switch revokes the
 * refresh token at HubSpot. Reuses the install's signed, browser-bound OAuth state.
 */
export function createAgentTokenBroker(options: AgentTokenBrokerOptions): AgentTokenBroker {
  const { db, cipher } = options;
  const now = options.now ?? (() => new Date());
  const base = options.publicUrl.replace(/\/+$/, "");
  const apiBaseUrl = (options.apiBaseUrl ?? "https://api.hubapi.com").replace(/\/+$/, "");
  const authorizeBase = (options.authorizeBaseUrl ?? "https://app.hubspot.com").replace(/\/+$/, "");
  const path = (agentId: string, step: string) => `/oauth/agents/${encodeURIComponent(agentId)}/${step}`;
  const redirectUri = (agentId: string) => `${base}${path(agentId, "callback")}`;
  const context = (tenantId: string, agentId: string) => `${tenantId}:agent:${agentId}:refresh`;

  function endpointOf(agentId: string): TokenEndpoint {
    const app = options.appOf(agentId);
    if (!app) throw new AgentAppNotConfiguredError(agentId);
    const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    return { fetch: fetchFn, apiBaseUrl, clientId: app.clientId, clientSecret: app.clientSecret };
  }

  async function rows(tenantId: string, agentIds: readonly string[]): Promise<Row[]> {
    return (await db.query<Row>(loadSql("select-agent-tokens"), [tenantId, [...agentIds]])).rows;
  }

  return {
    installPath: (agentId) => path(agentId, "install"),

    authorizeUrl(agentId) {
      const endpoint = endpointOf(agentId);
      // Signed with the agent app's own secret: a state of Tollgate's install cannot complete this one.
      const state = createOAuthState(oauthStateKey(endpoint.clientSecret), now());
      const q = new URLSearchParams({
        client_id: endpoint.clientId,
        redirect_uri: redirectUri(agentId),
        scope: "oauth",
        state,
      });
      return { url: `${authorizeBase}/oauth/authorize?${q.toString()}`, state };
    },

    async handleCallback(agentId, params) {
      const endpoint = endpointOf(agentId);
      await consumeOAuthState(db, oauthStateKey(endpoint.clientSecret), params.state, params.browserState, now());
      if (!params.code) throw new OAuthTokenError("authorization_code", { description: "the redirect had no code" });
      const tokens = await requestHubSpotToken(endpoint, {
        grant_type: "authorization_code",
        code: params.code,
        redirect_uri: redirectUri(agentId),
      });
      if (!tokens.hubId) throw new OAuthTokenError("authorization_code", { description: "the answer named no hub" });
      const sealed = cipher.encrypt(tokens.refreshToken!, context(tokens.hubId, agentId));
      await db.query(loadSql("upsert-agent-token"), [tokens.hubId, agentId, endpoint.clientId, sealed, now()]);
      return { tenantId: tokens.hubId };
    },

    async issueAccessToken(tenantId, agentId) {
      const [row] = await rows(tenantId, [agentId]);
      if (!row?.refresh_token_enc || row.status !== "active")
        throw new ReconsentRequiredError(agentId, row ? "revoked" : "not_installed", path(agentId, "install"));
      const refreshToken = cipher.decrypt(row.refresh_token_enc, context(tenantId, agentId));
      const tokens = await requestHubSpotToken(endpointOf(agentId), {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
      const expiresAt = new Date(now().getTime() + tokens.expiresInSeconds * 1000);
      await db.query(loadSql("mark-access-issued"), [tenantId, agentId, expiresAt]);
      return { accessToken: tokens.accessToken, expiresAt: expiresAt.toISOString() };
    },

    async revokeFor(tenantId, agentIds, since) {
      const out: AgentTokenRevoke[] = [];
      for (const row of await rows(tenantId, agentIds)) {
        const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
        if (row.status !== "active" || !row.refresh_token_enc) {
          // Revoked by this switch already (an earlier check): still part of its report.
          if (row.revoked_at && new Date(row.revoked_at) >= since)
            out.push({
              agentId: row.agent_id,
              revokedAt: iso(row.revoked_at)!,
              lastAccessExpiresAt: iso(row.last_access_expires_at),
            });
          continue;
        }
        const refreshToken = cipher.decrypt(row.refresh_token_enc, context(tenantId, row.agent_id));
        await revokeHubSpotRefreshToken(endpointOf(row.agent_id), refreshToken).catch((err: unknown) => {
          // 404: HubSpot no longer knows the token (revoked elsewhere, app uninstalled): it mints nothing.
          if (!(err instanceof OAuthTokenError && err.status === 404)) throw err;
        });
        const at = now();
        await db.query(loadSql("mark-revoked"), [tenantId, row.agent_id, at]);
        out.push({
          agentId: row.agent_id,
          revokedAt: at.toISOString(),
          lastAccessExpiresAt: iso(row.last_access_expires_at),
        });
      }
      return out;
    },
  };
}

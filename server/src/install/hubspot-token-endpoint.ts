import { z } from "zod";
import { OAuthTokenError } from "./errors.js";

/**
 * HubSpot's v1 OAuth endpoints (HubSpot: https://developers.hubspot.com/docs/api/working-with-oauth), over plain fetch:
 * nothing outside
 * `crm/` imports a CRM SDK. v1 is deprecated on 2027-02-16 in favour of `/oauth/2026-03/token`;
 * only these two functions need to change then.
 */
export interface TokenEndpoint {
  fetch: typeof fetch;
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export type TokenGrant =
  | { grant_type: "authorization_code"; code: string; redirect_uri: string }
  | { grant_type: "refresh_token"; refresh_token: string };

export interface HubSpotTokens {
  accessToken: string;
  /** Absent only if a refresh answer omits it; the caller keeps the old one then. */
  refreshToken: string | undefined;
  expiresInSeconds: number;
  /** Included in token answers since 2025-08-18. */
  hubId: string | undefined;
  scopes: string[] | undefined;
}

export interface HubSpotTokenInfo {
  hubId: string;
  hubDomain: string | undefined;
  appId: string | undefined;
  user: string | undefined;
  scopes: string[] | undefined;
}

const TIMEOUT_MS = 15_000;
const id = z.union([z.number(), z.string()]).transform(String);

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  hub_id: id.optional(),
  scopes: z.array(z.string()).optional(),
});

const tokenInfoResponse = z.object({
  hub_id: id,
  hub_domain: z.string().optional(),
  app_id: id.optional(),
  user: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});

/** `POST /oauth/v1/token` with a form-urlencoded body. */
export async function requestHubSpotToken(endpoint: TokenEndpoint, grant: TokenGrant): Promise<HubSpotTokens> {
  const body = new URLSearchParams({ ...grant, client_id: endpoint.clientId, client_secret: endpoint.clientSecret });
  const json = await call(endpoint, grant.grant_type, `${endpoint.apiBaseUrl}/oauth/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", accept: "application/json" },
    body: body.toString(),
  });
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success || (grant.grant_type === "authorization_code" && !parsed.data.refresh_token)) {
    throw new OAuthTokenError(grant.grant_type, {
      description: "the token answer lacked access_token, refresh_token or expires_in",
    });
  }
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresInSeconds: t.expires_in,
    hubId: t.hub_id,
    scopes: t.scopes,
  };
}

/** `GET /oauth/v1/access-tokens/{token}`: which portal, app and user a token belongs to. */
export async function fetchHubSpotTokenInfo(endpoint: TokenEndpoint, accessToken: string): Promise<HubSpotTokenInfo> {
  const url = `${endpoint.apiBaseUrl}/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`;
  const json = await call(endpoint, "token_info", url, { method: "GET", headers: { accept: "application/json" } });
  const parsed = tokenInfoResponse.safeParse(json);
  if (!parsed.success) throw new OAuthTokenError("token_info", { description: "the token info lacked hub_id" });
  const t = parsed.data;
  return { hubId: t.hub_id, hubDomain: t.hub_domain, appId: t.app_id, user: t.user, scopes: t.scopes };
}

/**
 * `DELETE /oauth/v1/refresh-tokens/{token}` (HubSpot: https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/delete-refresh-token):
 * the refresh token can mint no new access token. Access tokens it already minted stay valid
 * until they expire (up to 30 minutes) — HubSpot revokes only the refresh token.
 */
export async function revokeHubSpotRefreshToken(endpoint: TokenEndpoint, refreshToken: string): Promise<void> {
  const url = `${endpoint.apiBaseUrl}/oauth/v1/refresh-tokens/${encodeURIComponent(refreshToken)}`;
  await call(endpoint, "revoke", url, { method: "DELETE", headers: { accept: "application/json" } });
}

async function call(
  endpoint: TokenEndpoint,
  grant: "authorization_code" | "refresh_token" | "token_info" | "revoke",
  url: string,
  init: RequestInit,
): Promise<unknown> {
  let res: Response;
  try {
    res = await endpoint.fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    // The cause may quote the URL, which for token info contains the token: keep only its name.
    throw new OAuthTokenError(grant, {
      description: `HubSpot could not be reached (${(cause as Error)?.name ?? "error"})`,
    });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    // HubSpot v1 answers {status, message}; the 2026-03 endpoints RFC 6749 {error, error_description}.
    const e = (json ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v.slice(0, 300) : undefined);
    throw new OAuthTokenError(grant, {
      status: res.status,
      error: str(e.error) ?? str(e.status),
      description: str(e.error_description) ?? str(e.message),
    });
  }
  return json;
}

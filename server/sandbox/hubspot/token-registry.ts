import { randomBytes } from "node:crypto";
import { SandboxApiError } from "./sandbox-api-error.js";
import type { SandboxActor } from "./types.js";

export interface TokenInfo {
  token: string;
  actor: Exclude<SandboxActor, { kind: "import" }>;
  scopes: string[];
  /** epoch ms; `undefined` never expires (private-app tokens). */
  expiresAt: number | undefined;
  /** For OAuth tokens: the user who installed the app. */
  installingUserId: number | undefined;
}

/** OAuth access tokens live 30 minutes (`expires_in: 1800`). */
export const OAUTH_EXPIRES_IN_SECONDS = 1800;
const DEFAULT_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.schemas.contacts.read",
  "crm.schemas.contacts.write",
];

/**
 * Access tokens, OAuth codes and refresh tokens. A token says who writes: an app (`INTEGRATION`)
 * or a user (`CRM_UI`); that is how the sandbox tells agents, Tollgate and humans apart.
 */
export class TokenRegistry {
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly codes = new Map<string, { redirectUri: string; scopes: string[] }>();
  private readonly refreshTokens = new Map<string, { scopes: string[] }>();

  constructor(
    private readonly appId: number,
    private readonly installingUserId: number,
    private readonly now: () => number,
  ) {}

  issue(
    who: { appId: number | string } | { userId: number | string },
    options: { expiresInSeconds?: number; scopes?: string[] } = {},
  ): string {
    const actor: TokenInfo["actor"] =
      "appId" in who ? { kind: "app", appId: String(who.appId) } : { kind: "user", userId: String(who.userId) };
    const token = `${actor.kind === "app" ? "pat-sbx" : "usr-sbx"}-${randomBytes(18).toString("base64url")}`;
    const expiresAt = options.expiresInSeconds === undefined ? undefined : this.now() + options.expiresInSeconds * 1000;
    this.tokens.set(token, {
      token,
      actor,
      scopes: options.scopes ?? DEFAULT_SCOPES,
      expiresAt,
      installingUserId: undefined,
    });
    return token;
  }

  /** 401 with HubSpot's categories for a missing, unknown or expired token. */
  authenticate(authorization: string | undefined): TokenInfo {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match)
      throw new SandboxApiError(
        401,
        "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
      );
    const info = this.tokens.get(match[1]!);
    if (!info)
      throw new SandboxApiError(
        401,
        "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
      );
    if (info.expiresAt !== undefined && info.expiresAt <= this.now()) {
      throw new SandboxApiError(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired.");
    }
    return info;
  }

  lookup(token: string): TokenInfo | undefined {
    const info = this.tokens.get(token);
    return info && (info.expiresAt === undefined || info.expiresAt > this.now()) ? info : undefined;
  }

  /** The user approved the install on the authorize page: a one-time code for `redirectUri`. */
  createCode(redirectUri: string, scopes: string[]): string {
    const code = `code-${randomBytes(12).toString("hex")}`;
    this.codes.set(code, { redirectUri, scopes: scopes.length > 0 ? scopes : DEFAULT_SCOPES });
    return code;
  }

  exchangeCode(code: string, redirectUri: string): { accessToken: string; refreshToken: string; scopes: string[] } {
    const grant = this.codes.get(code);
    if (!grant || grant.redirectUri !== redirectUri)
      throw new SandboxApiError(400, "BAD_AUTH_CODE", "missing or unknown auth code", { status: "BAD_AUTH_CODE" });
    this.codes.delete(code);
    const refreshToken = `rt-sbx-${randomBytes(18).toString("base64url")}`;
    this.refreshTokens.set(refreshToken, { scopes: grant.scopes });
    return { accessToken: this.issueOAuth(grant.scopes), refreshToken, scopes: grant.scopes };
  }

  refresh(refreshToken: string): { accessToken: string; scopes: string[] } {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant)
      throw new SandboxApiError(400, "BAD_REFRESH_TOKEN", "missing or unknown refresh token", {
        status: "BAD_REFRESH_TOKEN",
      });
    return { accessToken: this.issueOAuth(grant.scopes), scopes: grant.scopes };
  }

  /** HubSpot's refresh-token delete: the token mints no new access token; those it minted live on. */
  revokeRefreshToken(refreshToken: string): boolean {
    return this.refreshTokens.delete(refreshToken);
  }

  private issueOAuth(scopes: string[]): string {
    const token = `oat-sbx-${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, {
      token,
      actor: { kind: "app", appId: String(this.appId) },
      scopes,
      expiresAt: this.now() + OAUTH_EXPIRES_IN_SECONDS * 1000,
      installingUserId: this.installingUserId,
    });
    return token;
  }
}

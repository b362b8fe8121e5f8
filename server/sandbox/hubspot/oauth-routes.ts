import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, type Route, type SandboxContext } from "./sandbox-context.js";
import { OAUTH_EXPIRES_IN_SECONDS } from "./token-registry.js";

/**
 * OAuth as HubSpot runs it: the authorize page (here a stub whose link approves at once), the
 * v1 token endpoint (authorization_code and refresh_token grants, form-encoded), token info and
 * the refresh-token delete.
 * These need no Bearer token and are not rate limited.
 */
export function registerOAuthRoutes(route: Route, ctx: SandboxContext): void {
  const authorize: Parameters<Route>[2] = (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q["client_id"] !== ctx.clientId || !q["redirect_uri"]) {
      res.status(400).type("html").send("<!doctype html><p>Unknown client_id or missing redirect_uri.</p>");
      return;
    }
    const approve = `/oauth/authorize/approve?${new URLSearchParams(q as Record<string, string>).toString()}`;
    res
      .type("html")
      .send(
        `<!doctype html><title>Connect app</title><h1>Install app ${ctx.appId} in account ${ctx.portalId}?</h1>` +
          `<p>Scopes: ${escapeHtml(q["scope"] ?? "")}</p><a id="approve" href="${escapeHtml(approve)}">Connect app</a>`,
      );
  };
  route("get", "/oauth/authorize", authorize);
  route("get", "/oauth/:portalId/authorize", authorize);

  // What clicking "Connect app" does: back to the app with a one-time code.
  route("get", "/oauth/authorize/approve", (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q["client_id"] !== ctx.clientId || !q["redirect_uri"])
      throw new SandboxApiError(400, "BAD_CLIENT_ID", "missing or invalid client id", { status: "BAD_CLIENT_ID" });
    const scopes = `${q["scope"] ?? ""} ${q["optional_scope"] ?? ""}`.split(/[\s+]+/).filter((s) => s !== "");
    const target = new URL(q["redirect_uri"]);
    target.searchParams.set("code", ctx.tokens.createCode(q["redirect_uri"], scopes));
    if (q["state"] !== undefined) target.searchParams.set("state", q["state"]);
    res.redirect(302, target.toString());
  });

  route("post", "/oauth/v1/token", (req, res) => {
    const form = bodyOf(req) as Record<string, string | undefined>;
    if (form["client_id"] !== ctx.clientId)
      throw new SandboxApiError(400, "BAD_CLIENT_ID", "missing or invalid client id", { status: "BAD_CLIENT_ID" });
    if (form["client_secret"] !== ctx.clientSecret)
      throw new SandboxApiError(400, "BAD_CLIENT_SECRET", "missing or invalid client secret", {
        status: "BAD_CLIENT_SECRET",
      });
    let grant: { accessToken: string; refreshToken: string; scopes: string[] };
    if (form["grant_type"] === "authorization_code") {
      grant = ctx.tokens.exchangeCode(form["code"] ?? "", form["redirect_uri"] ?? "");
    } else if (form["grant_type"] === "refresh_token") {
      const refreshToken = form["refresh_token"] ?? "";
      grant = { ...ctx.tokens.refresh(refreshToken), refreshToken };
    } else {
      throw new SandboxApiError(400, "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token", {
        status: "BAD_GRANT_TYPE",
      });
    }
    res.json({
      token_type: "bearer",
      refresh_token: grant.refreshToken,
      access_token: grant.accessToken,
      expires_in: OAUTH_EXPIRES_IN_SECONDS,
      hub_id: ctx.portalId,
      scopes: grant.scopes,
    });
  });

  // DELETE /oauth/v1/refresh-tokens/{token}: 204, no body; an unknown token is a 404, as HubSpot answers.
  route("delete", "/oauth/v1/refresh-tokens/:token", (req, res) => {
    if (!ctx.tokens.revokeRefreshToken(String(req.params["token"])))
      throw new SandboxApiError(404, "NOT_FOUND", "refresh token not found");
    res.status(204).end();
  });

  route("get", "/oauth/v1/access-tokens/:token", (req, res) => {
    const token = String(req.params["token"]);
    const info = ctx.tokens.lookup(token);
    if (!info) throw new SandboxApiError(404, "NOT_FOUND", "access token not found or expired");
    const userId = info.actor.kind === "user" ? Number(info.actor.userId) : info.installingUserId;
    res.json({
      token,
      user: userId === undefined ? null : `user${userId}@sandbox.example`,
      hub_domain: `sandbox-${ctx.portalId}.example`,
      scopes: info.scopes,
      hub_id: ctx.portalId,
      app_id: info.actor.kind === "app" ? Number(info.actor.appId) : null,
      expires_in: info.expiresAt === undefined ? null : Math.max(0, Math.floor((info.expiresAt - ctx.now()) / 1000)),
      user_id: userId ?? null,
      token_type: "access",
    });
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

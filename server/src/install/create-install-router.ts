import { Router, type Request, type Response } from "express";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { TollgateError } from "../errors/index.js";
import { HUBSPOT_CALLBACK_PATH, type HubSpotOAuth } from "./create-hubspot-oauth.js";
import { OAUTH_STATE_TTL_MS } from "./oauth-state.js";
import { renderInstallPage } from "./render-install-page.js";
import type { Installation } from "./types.js";

export interface InstallRouterOptions {
  oauth: Pick<HubSpotOAuth, "authorizeUrl" | "handleCallback" | "redirectUri">;
  /**
   * Install and callback requests per client IP (rate-limiter-flexible).
   * @defaultValue {@link createInstallLimiter} over `redis` when given (one budget for every process),
   * else 20 a minute in this process
   */
  limiter?: RateLimiterAbstract;
  /** Shares the install budget between Tollgate's processes (docs/operations.md, security). */
  redis?: Redis;
  /** Redis key prefix. @defaultValue "tollgate" */
  prefix?: string;
  /**
   * Runs after tokens are stored (docs/contracts.md#fields-the-app-installs: with OAuth, provisioning runs on install).
   */
  onInstalled?: (installation: Installation) => Promise<void>;
  /** pino-compatible; gets error codes and messages only, never tokens or the OAuth code. */
  logger?: { error(obj: object, msg: string): void };
}

const INSTALLS_PER_MINUTE = 20;

/**
 * The install and callback budget every process shares: 20 a minute per client IP, counted in
 * Redis, so a second process (or a restart) does not hand out a fresh budget.
 */
export function createInstallLimiter(
  redis: Redis,
  prefix = "tollgate",
  points = INSTALLS_PER_MINUTE,
): RateLimiterAbstract {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:install-rate`,
    points,
    duration: 60,
    // Redis down: each process keeps its own budget rather than refusing every install.
    insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
  });
}

/**
 * `GET /oauth/hubspot/install` → 302 to HubSpot's consent screen (`?portalId=` preselects an
 * account); `GET /oauth/hubspot/callback` → completes the install and answers with a small
 * page: 200 on success, 400 for a bad, expired or reused link, one started in another browser
 * (the state must match the HttpOnly, SameSite=Lax cookie the install route set) or a declined
 * install, 502 when HubSpot's token endpoint fails, 429 past the per-IP rate limit.
 */
export function createInstallRouter(options: InstallRouterOptions): Router {
  const router = Router();

  const limiter =
    options.limiter ??
    (options.redis
      ? createInstallLimiter(options.redis, options.prefix)
      : new RateLimiterMemory({ points: INSTALLS_PER_MINUTE, duration: 60 }));
  const secure = options.oauth.redirectUri.startsWith("https:");

  router.get("/oauth/hubspot/install", async (req, res) => {
    if (!(await withinLimit(req, res))) return;
    try {
      const portalId = one(req.query.portalId);
      const url = await options.oauth.authorizeUrl(portalId && /^\d+$/.test(portalId) ? { portalId } : {});
      // The state rides in a cookie too: only the browser that started the install can finish it.
      res.cookie(STATE_COOKIE, new URL(url).searchParams.get("state") ?? "", {
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: COOKIE_PATH,
        maxAge: OAUTH_STATE_TTL_MS,
      });
      res.set("Cache-Control", "no-store").redirect(302, url);
    } catch (err) {
      fail(res, err, "Could not start the install");
    }
  });

  router.get(HUBSPOT_CALLBACK_PATH, async (req, res) => {
    if (!(await withinLimit(req, res))) return;
    res.clearCookie(STATE_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: "lax", secure });
    let installation: Installation;
    try {
      installation = await options.oauth.handleCallback({
        code: one(req.query.code),
        state: one(req.query.state),
        browserState: readCookie(req, STATE_COOKIE),
        error: one(req.query.error),
        errorDescription: one(req.query.error_description),
      });
    } catch (err) {
      fail(res, err, "Install failed");
      return;
    }
    const where = installation.hubDomain
      ? `${installation.hubDomain} (portal ${installation.tenantId})`
      : `portal ${installation.tenantId}`;
    try {
      await options.onInstalled?.(installation);
    } catch (err) {
      fail(
        res,
        err,
        "Installed, but setup did not finish",
        `Tollgate is connected to ${where}, but adding its properties failed. Run the install again; it is safe to repeat.`,
      );
      return;
    }
    sendInstallPage(res, 200, {
      ok: true,
      title: "Tollgate is installed",
      message: `Tollgate is connected to ${where}. You can close this tab and return to HubSpot.`,
    });
  });

  async function withinLimit(req: Request, res: Response): Promise<boolean> {
    try {
      await limiter.consume(req.ip ?? "unknown");
      return true;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      res.set("Retry-After", String(Math.ceil(err.msBeforeNext / 1000)));
      sendInstallPage(res, 429, {
        ok: false,
        title: "Too many install attempts",
        message: "Too many install requests from your network; try again in a minute.",
      });
      return false;
    }
  }

  function fail(res: Response, err: unknown, title: string, message?: string): void {
    const known = err instanceof TollgateError;
    options.logger?.error(
      { code: known ? err.code : "internal", err: known ? undefined : { name: (err as Error)?.name } },
      title,
    );
    const status = known ? err.httpStatus : 500;
    const detail = known
      ? `${err.message} (${err.code})`
      : "Something went wrong on Tollgate's side; try again in a minute.";
    sendInstallPage(res, status, { ok: false, title, message: message ?? detail, ...(message ? { detail } : {}) });
  }

  return router;
}

/** An install page (Tollgate's own or an agent app's): the callback URL carries the one-time code, so it stays out of caches and Referer headers. */
export function sendInstallPage(res: Response, status: number, page: Parameters<typeof renderInstallPage>[0]): void {
  res
    .status(status)
    .set({
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    })
    .type("html")
    .send(renderInstallPage(page));
}

const STATE_COOKIE = "tollgate_oauth_state";
const COOKIE_PATH = "/oauth/hubspot";

/** One cookie's value from the request's Cookie header (express parses none by itself). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function one(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

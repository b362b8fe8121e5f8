import { Router, type Response } from "express";
import { TollgateError } from "../errors/index.js";
import { HUBSPOT_CALLBACK_PATH, type HubSpotOAuth } from "./create-hubspot-oauth.js";
import { renderInstallPage } from "./render-install-page.js";
import type { Installation } from "./types.js";

export interface InstallRouterOptions {
  oauth: Pick<HubSpotOAuth, "authorizeUrl" | "handleCallback">;
  /** Runs after tokens are stored (docs/contracts.md#fields-the-app-installs: with OAuth, provisioning runs on install). */
  onInstalled?: (installation: Installation) => Promise<void>;
  /** pino-compatible; gets error codes and messages only, never tokens or the OAuth code. */
  logger?: { error(obj: object, msg: string): void };
}

/**
 * `GET /oauth/hubspot/install` → 302 to HubSpot's consent screen (`?portalId=` preselects an
 * account); `GET /oauth/hubspot/callback` → completes the install and answers with a small
 * page: 200 on success, 400 for a bad, expired or reused link or a declined install, 502 when
 * HubSpot's token endpoint fails.
 */
export function createInstallRouter(options: InstallRouterOptions): Router {
  const router = Router();

  router.get("/oauth/hubspot/install", async (req, res) => {
    try {
      const portalId = one(req.query.portalId);
      const url = await options.oauth.authorizeUrl(portalId && /^\d+$/.test(portalId) ? { portalId } : {});
      res.set("Cache-Control", "no-store").redirect(302, url);
    } catch (err) {
      fail(res, err, "Could not start the install");
    }
  });

  router.get(HUBSPOT_CALLBACK_PATH, async (req, res) => {
    let installation: Installation;
    try {
      installation = await options.oauth.handleCallback({
        code: one(req.query.code),
        state: one(req.query.state),
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
    send(res, 200, {
      ok: true,
      title: "Tollgate is installed",
      message: `Tollgate is connected to ${where}. You can close this tab and return to HubSpot.`,
    });
  });

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
    send(res, status, { ok: false, title, message: message ?? detail, ...(message ? { detail } : {}) });
  }

  return router;
}

function send(res: Response, status: number, page: Parameters<typeof renderInstallPage>[0]): void {
  // The callback URL carries the one-time code: keep it out of caches and Referer headers.
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

function one(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

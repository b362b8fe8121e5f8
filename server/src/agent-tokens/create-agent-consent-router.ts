import { Router, type Request, type Response } from "express";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { TollgateError } from "../errors/index.js";
import { OAUTH_STATE_TTL_MS, readCookie, sendInstallPage } from "../install/index.js";
import type { AgentTokenBroker } from "./create-agent-token-broker.js";

export interface AgentConsentRouterOptions {
  broker: Pick<AgentTokenBroker, "authorizeUrl" | "handleCallback">;
  /** The install routes' per-IP budget (createInstallLimiter over Redis): one budget for both. */
  limiter: RateLimiterAbstract;
  /** Whether Tollgate is served over https (the state cookie is then `Secure`). */
  secure: boolean;
  logger?: { error(obj: object, msg: string): void };
}

const STATE_COOKIE = "tollgate_agent_oauth_state";
const cookiePath = (agentId: string) => `/oauth/agents/${encodeURIComponent(agentId)}`;

/**
 * docs/contracts.md#http-api: `GET /oauth/agents/:agentId/install` → 302 to HubSpot's consent for the agent's
 * own app, the signed state also in an HttpOnly, SameSite=Lax cookie; `GET /oauth/agents/:agentId/callback` →
 * stores the agent's refresh token (200 page), 400 for a bad, expired, reused or other browser's state, 404 for
 * an agent with no configured app, 502 when HubSpot's token endpoint fails, 429 past the install budget.
 */
export function createAgentConsentRouter(options: AgentConsentRouterOptions): Router {
  const router = Router();
  const cookie = (agentId: string) => ({
    httpOnly: true,
    sameSite: "lax" as const,
    secure: options.secure,
    path: cookiePath(agentId),
  });

  router.get("/oauth/agents/:agentId/install", async (req, res) => {
    if (!(await withinLimit(req, res))) return;
    const agentId = String(req.params["agentId"]);
    try {
      const { url, state } = options.broker.authorizeUrl(agentId);
      res.cookie(STATE_COOKIE, state, { ...cookie(agentId), maxAge: OAUTH_STATE_TTL_MS });
      res.set("Cache-Control", "no-store").redirect(302, url);
    } catch (err) {
      fail(res, err, "Could not start the agent app's install");
    }
  });

  router.get("/oauth/agents/:agentId/callback", async (req, res) => {
    if (!(await withinLimit(req, res))) return;
    const agentId = String(req.params["agentId"]);
    res.clearCookie(STATE_COOKIE, cookie(agentId));
    try {
      const { tenantId } = await options.broker.handleCallback(agentId, {
        code: one(req.query["code"]),
        state: one(req.query["state"]),
        browserState: readCookie(req, STATE_COOKIE),
      });
      sendInstallPage(res, 200, {
        ok: true,
        title: "Agent app connected",
        message: `Agent ${agentId} gets its HubSpot access through Tollgate in portal ${tenantId}. You can close this tab.`,
      });
    } catch (err) {
      fail(res, err, "Agent app install failed");
    }
  });

  async function withinLimit(req: Request, res: Response): Promise<boolean> {
    try {
      await options.limiter.consume(req.ip ?? "unknown");
      return true;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      res.set("Retry-After", String(Math.ceil(err.msBeforeNext / 1000)));
      sendInstallPage(res, 429, { ok: false, title: "Too many install attempts", message: "Try again in a minute." });
      return false;
    }
  }

  function fail(res: Response, err: unknown, title: string): void {
    const known = err instanceof TollgateError;
    options.logger?.error({ code: known ? err.code : "internal" }, title);
    const message = known ? `${err.message} (${err.code})` : "Something went wrong on Tollgate's side; try again.";
    sendInstallPage(res, known ? err.httpStatus : 500, { ok: false, title, message });
  }

  return router;
}

function one(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { RollingRateLimiter } from "./rolling-rate-limiter.js";
import type { SandboxContext } from "./sandbox-context.js";

/**
 * In front of every CRM route: the Bearer token must be one the sandbox issued, then the token
 * holder's rolling 10 s budget is taken. Rate-limit headers go on every answer, 429 included,
 * with HubSpot's 429 body.
 */
export function createCrmGate(ctx: SandboxContext, limiter: RollingRateLimiter, onRateLimited: () => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = ctx.tokens.authenticate(req.headers.authorization);
    const key = token.actor.kind === "app" ? `app:${token.actor.appId}` : `user:${token.actor.userId}`;
    const verdict = limiter.take(key, ctx.now());
    res.set({
      "X-HubSpot-RateLimit-Max": String(verdict.max),
      "X-HubSpot-RateLimit-Remaining": String(verdict.remaining),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(limiter.intervalMs),
      "X-HubSpot-RateLimit-Daily": String(verdict.daily),
      "X-HubSpot-RateLimit-Daily-Remaining": String(verdict.dailyRemaining),
    });
    if (!verdict.allowed) {
      onRateLimited();
      const daily = verdict.policy === "DAILY";
      res.status(429).json({
        status: "error",
        message: daily ? "You have reached your daily limit." : "You have reached your ten_secondly_rolling limit.",
        errorType: "RATE_LIMIT",
        correlationId: randomUUID(),
        policyName: verdict.policy,
        requestId: randomUUID(),
      });
      return;
    }
    res.locals["token"] = token;
    next();
  };
}

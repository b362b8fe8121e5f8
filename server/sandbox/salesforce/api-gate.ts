import type { NextFunction, Request, Response } from "express";
import type { OrgUsers } from "./org-users.js";
import { SandboxError } from "./sandbox-error.js";

export interface ApiUsage {
  used: number;
  limit: number;
  /** Calls still to fail with a 503, for fault tests. */
  failNext: number;
  /** While true, every REST write (any method but GET) fails with a 503, for fault tests. */
  failWrites: boolean;
  calls: Record<string, number>;
  /** The longest request line seen (path and query), to check that clients keep URLs short. */
  longestUrl: number;
}

/**
 * In front of every REST call: the session (`INVALID_SESSION_ID`, 401), injected 503s, the
 * org's daily allocation (`REQUEST_LIMIT_EXCEEDED`, 403, not counted) and the
 * `Sforce-Limit-Info: api-usage=<used>/<limit>` header Salesforce sends on each answer.
 */
export function createApiGate(users: OrgUsers, usage: ApiUsage) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const userId = users.authenticate(req.header("authorization"));
    if (!userId)
      return void res
        .status(401)
        .json(new SandboxError(401, "INVALID_SESSION_ID", "Session expired or invalid").toBody());
    if (usage.failNext > 0 || (usage.failWrites && req.method !== "GET")) {
      if (usage.failNext > 0) usage.failNext -= 1;
      return void res
        .status(503)
        .json(new SandboxError(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable").toBody());
    }
    if (usage.used >= usage.limit) {
      res.setHeader("Sforce-Limit-Info", `api-usage=${usage.used}/${usage.limit}`);
      return void res
        .status(403)
        .json(new SandboxError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").toBody());
    }
    usage.used += 1;
    usage.longestUrl = Math.max(usage.longestUrl, req.originalUrl.length);
    const key = `${req.method} ${req.path.replace(/\/v\d+\.\d+/, "").replace(/\/[A-Za-z0-9]{15,18}$/, "/:id")}`;
    usage.calls[key] = (usage.calls[key] ?? 0) + 1;
    res.setHeader("Sforce-Limit-Info", `api-usage=${usage.used}/${usage.limit}`);
    res.locals["userId"] = userId;
    res.locals["client"] = /client=([^,;\s]+)/.exec(req.header("sforce-call-options") ?? "")?.[1];
    next();
  };
}

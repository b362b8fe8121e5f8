import type { RequestHandler } from "express";
import { AgentKilledError, isAgentKeyBlocked, type AgentKeyCheck } from "../killswitch/index.js";

/**
 * Express middleware for agent routes (`POST /v1/actions`): mount after the route's
 * `requireRole(authenticate, ["agent"])`; answers 403 `agent_killed` when a switch covers the key.
 */
export function requireAgentNotKilled(check: AgentKeyCheck): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) return next();
    isAgentKeyBlocked(check, principal).then(
      (key) => next(key === undefined ? undefined : new AgentKilledError(principal.agentId!, key)),
      (err: unknown) => next(err),
    );
  };
}

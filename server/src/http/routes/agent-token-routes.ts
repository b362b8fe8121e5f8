import { Router } from "express";
import { agentTokenRequestSchema, type AgentTokenResponse } from "../../../../shared/index.js";
import type { AgentTokenBroker } from "../../agent-tokens/index.js";
import { ForbiddenError } from "../../errors/index.js";
import type { KillSwitchService } from "../../killswitch/index.js";
import { principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { requireAgentNotKilled } from "../require-agent-not-killed.js";
import { tenantOf } from "../tenant-of.js";

export interface AgentTokenRoutesOptions {
  broker: Pick<AgentTokenBroker, "issueAccessToken">;
  authenticate: (header: string | undefined) => Principal | undefined;
  killSwitches: Pick<KillSwitchService, "active">;
  defaultTenant: string;
  roleOf?: (tenantId: string, agentId: string) => string | undefined;
}

/**
 * docs/contracts.md#http-api: `POST /v1/agent-tokens` `{agentId?}` → `{accessToken, expiresAt}`, a short-lived
 * HubSpot access token of the key's own agent app. Agent keys only, for their own agent (403 `forbidden`
 * otherwise); 403 `agent_killed` (audited) while a switch covers the agent; 409 `reconsent_required` once a
 * switch revoked the app's token or it was never installed through Tollgate.
 */
export function createAgentTokenRouter(options: AgentTokenRoutesOptions): Router {
  const { broker, authenticate, killSwitches, defaultTenant, roleOf } = options;
  const router = Router();
  router.post(
    "/v1/agent-tokens",
    requireRole(authenticate, ["agent"]),
    requireAgentNotKilled({ service: killSwitches, defaultTenant, ...(roleOf ? { roleOf } : {}) }),
    async (req, res) => {
      const principal = principalOf(req);
      const body = parseWith(agentTokenRequestSchema, req.body ?? {}, "agent token request");
      if (body.agentId !== undefined && body.agentId !== principal.agentId)
        throw new ForbiddenError(`agent ${principal.agentId} may fetch only its own token, not ${body.agentId}'s`, {
          agentId: body.agentId,
        });
      const issued: AgentTokenResponse = await broker.issueAccessToken(
        tenantOf(req, defaultTenant),
        principal.agentId!,
      );
      res.set("Cache-Control", "no-store").json(issued);
    },
  );
  return router;
}

import { Router } from "express";
import type { ActionGate } from "../../actions/index.js";
import type { KillSwitchService } from "../../killswitch/index.js";
import { requireAgentNotKilled } from "../require-agent-not-killed.js";
import { principalOf, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface ActionRoutesOptions {
  gate: ActionGate;
  authenticate: (header: string | undefined) => Principal | undefined;
  killSwitches: Pick<KillSwitchService, "active">;
  /** The tenant a key without its own `tenantId` acts for. */
  defaultTenant: string;
  /** The agent's role under the tenant's policy, so a `role:` switch refuses its key. */
  roleOf?: (tenantId: string, agentId: string) => string | undefined;
}

/**
 * docs/contracts.md#http-api: `POST /v1/actions`, the pre-write gate. Agent keys only; a key a tenant, role or
 * agent kill switch covers is refused with 403 `agent_killed` before anything is read. The tenant
 * is the key's (agents never pick one). Answers 200 with the decision whatever it is — a refusal
 * is an answer, not an error — and `Idempotent-Replayed: true` when an idempotency key answered
 * from a stored result. Bad input is a 400 naming the key, and changes nothing.
 */
export function createActionRouter({
  gate,
  authenticate,
  killSwitches,
  defaultTenant,
  roleOf,
}: ActionRoutesOptions): Router {
  const router = Router();
  router.post(
    "/v1/actions",
    requireRole(authenticate, ["agent"]),
    requireAgentNotKilled({ service: killSwitches, defaultTenant, ...(roleOf ? { roleOf } : {}) }),
    async (req, res) => {
      const principal = principalOf(req);
      const { response, replayed } = await gate.handle(tenantOf(req, defaultTenant), principal, req.body);
      if (replayed) res.setHeader("idempotent-replayed", "true");
      res.json(response);
    },
  );
  return router;
}

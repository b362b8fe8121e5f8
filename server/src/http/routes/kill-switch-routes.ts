import { Router } from "express";
import { killSwitchRequestSchema } from "../../../../shared/index.js";
import { ForbiddenError, ValidationError } from "../../errors/index.js";
import type { KillSwitchService } from "../../killswitch/index.js";
import type { GoldenService } from "../../golden/index.js";
import type { CompiledPolicy } from "../../policy/index.js";
import { HUMAN_ROLES, principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface KillSwitchRoutesOptions {
  service: KillSwitchService;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
  /** When given, `agent` and `role` switches must name an agent or role of the tenant's policy: a typo would give false safety. */
  policyOf?: (tenantId: string) => CompiledPolicy;
  /** With it, turning a switch off first runs the golden records (refused on a change unless an owner overrides). */
  golden?: Pick<GoldenService, "assertResume"> | undefined;
}

/** Who may pull which switch: the whole workspace takes an owner or RevOps admin; operators may stop narrower scopes. */
const TENANT_SWITCHERS = ["owner", "revops_admin"] as const;
const SCOPE_SWITCHERS = ["owner", "revops_admin", "operator"] as const;

/**
 * docs/contracts.md#http-api: `GET /v1/kill-switches` (any human role) lists the active switches with who, when,
 * why and what they prevented so far; `PUT /v1/kill-switches` turns one on or off
 * (`{scope: {type, value}, state, reason}`) and answers the switch with who/when. The tenant
 * scope takes an owner or revops_admin; every narrower scope also an operator. Bad input is a 400
 * and changes nothing.
 */
export function createKillSwitchRouter({
  service,
  authenticate,
  defaultTenant,
  policyOf,
  golden,
}: KillSwitchRoutesOptions): Router {
  const router = Router();

  router.get("/v1/kill-switches", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    const tenantId = tenantOf(req, defaultTenant);
    res.json({ tenantId, switches: await service.list(tenantId) });
  });

  router.put("/v1/kill-switches", requireRole(authenticate, SCOPE_SWITCHERS), async (req, res) => {
    const body = parseWith(killSwitchRequestSchema, req.body, "kill switch");
    const principal = principalOf(req);
    const tenantId = tenantOf(req, defaultTenant);
    if (body.scope.type === "tenant") {
      if (!(TENANT_SWITCHERS as readonly string[]).includes(principal.role)) {
        throw new ForbiddenError(`role ${principal.role} may not switch the whole tenant`, {
          allowedRoles: TENANT_SWITCHERS,
        });
      }
      if (body.scope.value !== undefined && body.scope.value !== null && body.scope.value !== tenantId)
        throw new ValidationError(`invalid kill switch: scope.value: the tenant scope names no value (or ${tenantId})`);
    }
    const policy = policyOf?.(tenantId);
    if (policy && body.scope.type === "agent" && !policy.agents.has(body.scope.value!)) {
      throw new ValidationError(
        `invalid kill switch: scope.value: agent ${JSON.stringify(body.scope.value)} is not declared in the policy`,
        { known: [...policy.agents.keys()] },
      );
    }
    if (policy && body.scope.type === "role" && !policy.roles.has(body.scope.value!)) {
      throw new ValidationError(
        `invalid kill switch: scope.value: role ${JSON.stringify(body.scope.value)} is not defined in the policy`,
        { known: [...policy.roles.keys()] },
      );
    }
    const actor = { type: "human" as const, id: principal.name, role: principal.role, via: principal.via };
    await golden?.assertResume(tenantId, body, actor);
    const sw = await service.set(tenantId, body, actor);
    res.json(sw);
  });

  return router;
}

import { Router } from "express";
import { killSwitchRequestSchema, type ContainmentReport } from "../../../../shared/index.js";
import { ForbiddenError, ValidationError } from "../../errors/index.js";
import { SCOPE_SWITCHERS, TENANT_SWITCHERS, type KillSwitchService } from "../../killswitch/index.js";
import type { GoldenService } from "../../golden/index.js";
import type { CompiledPolicy } from "../../policy/index.js";
import { HUMAN_ROLES, principalOf, type Principal } from "../authenticate.js";
import { authorizeCardOrKey, jsonWithRawBody, type CardAuthOptions } from "../card-auth.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface KillSwitchRoutesOptions {
  service: KillSwitchService;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
  /**
   * When given, `agent` and `role` switches must name an agent or role of the tenant's policy: a typo would give false
   * safety.
   */
  policyOf?: (tenantId: string) => CompiledPolicy;
  /** When given, each listed switch carries its containment report (docs/contracts.md, kill switches). */
  containment?: { reportsOf(tenantId: string, eventIds: readonly string[]): Promise<Map<string, ContainmentReport>> };
  /** With it, turning a switch off first runs the golden records (refused on a change unless an owner overrides). */
  golden?: Pick<GoldenService, "assertResume"> | undefined;
  /**
   * Accept signed card requests too (the HubSpot app's settings page): the card user's role is
   * what the policy's role groups say (`CardAuthOptions.roleOf`), checked like a key's.
   */
  card?: CardAuthOptions | undefined;
}

/**
 * docs/contracts.md#http-api: `GET /v1/kill-switches` (any human role) lists the active switches with who, when,
 * why, what they prevented so far and their containment report; `PUT /v1/kill-switches` turns one on or off
 * (`{scope: {type, value}, state, reason}`) and answers the switch with who/when. The tenant
 * scope takes an owner or revops_admin; every narrower scope also an operator. Bad input is a 400
 * and changes nothing.
 */
export function createKillSwitchRouter({
  service,
  authenticate,
  defaultTenant,
  policyOf,
  containment,
  golden,
  card,
}: KillSwitchRoutesOptions): Router {
  const router = Router();
  const readers = authorizeCardOrKey({ authenticate, card, roles: HUMAN_ROLES, withUser: true });
  const switchers = authorizeCardOrKey({ authenticate, card, roles: SCOPE_SWITCHERS, withUser: true });

  router.get("/v1/kill-switches", readers, async (req, res) => {
    const tenantId = tenantOf(req, defaultTenant);
    const switches = await service.list(tenantId);
    const reports = await containment?.reportsOf(
      tenantId,
      switches.flatMap((s) => (s.eventId ? [s.eventId] : [])),
    );
    res.json({
      tenantId,
      switches: reports
        ? switches.map((s) => ({ ...s, containment: (s.eventId && reports.get(s.eventId)) || null }))
        : switches,
    });
  });

  router.put("/v1/kill-switches", jsonWithRawBody, switchers, async (req, res) => {
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

import type { KeyHolder, KillSwitchService } from "./types.js";

export interface AgentKeyCheck {
  service: Pick<KillSwitchService, "active">;
  /** The tenant a key without its own `tenantId` acts for. */
  defaultTenant: string;
  /** The agent's role under the tenant's policy, for `role:` switches. */
  roleOf?: (tenantId: string, agentId: string) => string | undefined;
}

/**
 * The switch that refuses this agent key, or `undefined` (also for humans' keys): the tenant
 * switch, the agent's own, or its role's. Channel and narrower scopes do not refuse the key —
 * they stop only the actions on that channel or scope, which `decide` answers `killed`.
 */
export async function isAgentKeyBlocked(check: AgentKeyCheck, principal: KeyHolder): Promise<string | undefined> {
  if (principal.role !== "agent" || principal.agentId === undefined) return undefined;
  const tenantId = principal.tenantId ?? check.defaultTenant;
  const { active } = await check.service.active(tenantId);
  if (active.size === 0) return undefined;
  const role = check.roleOf?.(tenantId, principal.agentId);
  for (const key of ["tenant", role === undefined ? undefined : `role:${role}`, `agent:${principal.agentId}`]) {
    if (key !== undefined && active.has(key)) return key;
  }
  return undefined;
}

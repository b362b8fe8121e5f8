import type { CompiledPolicy } from "../policy/index.js";
import type { KillSwitch } from "../killswitch/index.js";

/** The agents a switch stops as agents: its agent, its role's agents, or every agent of the tenant. */
export function agentsInScope(policy: CompiledPolicy, scope: KillSwitch["scope"]): string[] {
  const all = [...policy.agents.values()];
  switch (scope.type) {
    case "tenant":
      return all.map((a) => a.id);
    case "role":
      return all.filter((a) => a.role === scope.value).map((a) => a.id);
    case "agent":
      return scope.value === null ? [] : [scope.value];
    default:
      return [];
  }
}

/** Salesforce ids compare on their 15-character form. */
const id15 = (id: string) => id.slice(0, 15);

/** One CRM user to freeze for an agent, or the reason it must not be. */
export interface FreezeTarget {
  agentId: string;
  userId: string;
  /** Set when the user must never be frozen (a person, Tollgate's own user) or the agent opted out. */
  refused?: string;
}

/**
 * The Salesforce users the policy declares as these agents' own (`agents[].salesforce.userIds`),
 * each with the reason not to freeze it, if any: the agent opted out (`freezeOnKill: false`),
 * the user is Tollgate's own integration user, or the policy names it as a person (an approver).
 */
export function freezeTargets(
  policy: CompiledPolicy,
  agentIds: readonly string[],
  ownUserIds: readonly string[],
): FreezeTarget[] {
  const own = new Set(ownUserIds.map(id15));
  const people = new Set(
    Object.values(policy.manifest.approvers ?? {}).flatMap((g) => (g.salesforce?.userIds ?? []).map(id15)),
  );
  const wanted = new Set(agentIds);
  return policy.manifest.agents
    .filter((a) => wanted.has(a.id))
    .flatMap((a) =>
      (a.salesforce?.userIds ?? []).map((userId): FreezeTarget => {
        const refused =
          a.salesforce?.freezeOnKill === false
            ? `${a.id} opted out (salesforce.freezeOnKill: false)`
            : own.has(id15(userId))
              ? `${userId} is Tollgate's own integration user`
              : people.has(id15(userId))
                ? `${userId} is a person (an approver in the policy)`
                : undefined;
        return { agentId: a.id, userId, ...(refused ? { refused } : {}) };
      }),
    );
}

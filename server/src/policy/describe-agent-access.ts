import type { PolicyObject } from "../../../shared/index.js";
import type { Tier } from "../../../shared/index.js";
import type { CompiledPolicy, CompiledRole } from "./types.js";

/** What an agent may do with one object type, by its role's rules. */
export interface ObjectAccess {
  object: PolicyObject;
  /** `read: allow` on the object. */
  read: boolean;
  /** Fields it may read (see {@link readableFields}), sorted. Empty when `read` is false. */
  readable: string[];
  /** Fields it may write or propose (tier 2 safe write, tier 3 approval), sorted. */
  writable: { field: string; tier: Tier }[];
  /** Object-level actions it may ask for (tier 2 or 3). */
  actions: { action: string; tier: Tier }[];
}

/** What one declared agent may ever do: `undefined` for an agent the policy does not declare. */
export interface AgentAccess {
  agentId: string;
  role: string;
  objects: ObjectAccess[];
  /** Role-level actions (sends, tasks…) it may ask for (tier 2 or 3). */
  actions: { action: string; tier: Tier }[];
}

const usable = (tier: Tier) => tier === 2 || tier === 3;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The fields of `object` an agent's role may read, or `undefined` when it may not read the
 * object at all (unknown agent or role, object not listed, or no `read: allow`). Deny by
 * default: a field is readable only when the role lists it at tier 1–4 — read-only, writable,
 * approval or humans-only are all fields the role was meant to see; tier 0 (blocked) and
 * unlisted fields are not. The MCP server's read tools filter every record through this.
 */
export function readableFields(
  policy: CompiledPolicy,
  agentId: string,
  object: PolicyObject,
): ReadonlySet<string> | undefined {
  const role = roleOf(policy, agentId);
  const rules = role?.objects.get(object);
  if (!rules?.read) return undefined;
  const fields = new Set<string>();
  for (const [field, rule] of rules.fields) if (rule.tier >= 1) fields.add(field);
  return fields;
}

/**
 * Everything an agent's role lets it read, write, propose or ask for, per object: what the MCP
 * server lists as tools and names in their descriptions (docs/contracts.md, MCP).
 */
export function describeAgentAccess(policy: CompiledPolicy, agentId: string): AgentAccess | undefined {
  const role = roleOf(policy, agentId);
  if (!role) return undefined;
  const objects: ObjectAccess[] = [];
  for (const [object, rules] of role.objects) {
    const typed = object as PolicyObject;
    objects.push({
      object: typed,
      read: rules.read,
      readable: [...(readableFields(policy, agentId, typed) ?? [])].sort(byName),
      writable: [...rules.fields]
        .filter(([, r]) => usable(r.tier))
        .map(([field, r]) => ({ field, tier: r.tier }))
        .sort((a, b) => byName(a.field, b.field)),
      actions: [...rules.actions]
        .filter(([, r]) => usable(r.tier))
        .map(([action, r]) => ({ action, tier: r.tier }))
        .sort((a, b) => byName(a.action, b.action)),
    });
  }
  return {
    agentId,
    role: role.name,
    objects: objects.sort((a, b) => byName(a.object, b.object)),
    actions: [...role.actions]
      .filter(([, r]) => usable(r.tier))
      .map(([action, r]) => ({ action, tier: r.tier }))
      .sort((a, b) => byName(a.action, b.action)),
  };
}

function roleOf(policy: CompiledPolicy, agentId: string): CompiledRole | undefined {
  const agent = policy.agents.get(agentId);
  return agent ? policy.roles.get(agent.role) : undefined;
}

import { MCP_TOOL_NAMES, type McpToolName } from "../../../shared/index.js";
import { describeAgentAccess, type AgentAccess, type CompiledPolicy } from "../policy/index.js";

/** How one tool shows in an agent's `tools/list`. */
export interface ListedTool {
  /** Listed: the agent's role can use it now. A hidden tool's call is still decided and audited. */
  enabled: boolean;
  description: string;
}

export type AgentToolList = Record<McpToolName, ListedTool>;

const TIER_LABEL: Record<number, string> = { 2: "applied when the policy allows", 3: "needs a person's approval" };
const MAX_NAMES = 40;

const joinCapped = (names: string[]) =>
  names.length > MAX_NAMES ? `${names.slice(0, MAX_NAMES).join(", ")}, … (${names.length} in all)` : names.join(", ");

/**
 * The tools an agent sees (docs/contracts.md, MCP), a pure function of the policy and the
 * switch that stops the agent, if any: only what its role can ever use — no write tool for a role
 * with no writable field, no `request_action` for a role with no action — each description naming
 * the objects, fields and actions it may touch. While a tenant, role or agent switch covers the
 * agent, its write tools are hidden (it is read-only, requirements R7) and the read tools say why.
 */
export function listAgentTools(policy: CompiledPolicy, agentId: string, stoppedBy?: string): AgentToolList {
  const access = describeAgentAccess(policy, agentId);
  const readable = access?.objects.filter((o) => o.read) ?? [];
  const writable = access?.objects.filter((o) => o.writable.length > 0) ?? [];
  const actions = access ? actionsOf(access) : [];
  const stopped = stoppedBy ? ` Writes are stopped: kill switch ${stoppedBy} is on.` : "";
  const reads = readable
    .map((o) => `${o.object} (${o.readable.length ? joinCapped(o.readable) : "its id only"})`)
    .join("; ");
  const fields = writable
    .flatMap((o) => o.writable.map((w) => `${o.object}.${w.field} (${TIER_LABEL[w.tier]})`))
    .map(String);
  const verbs = actions.map((a) => `${a.action}${a.object ? ` on ${a.object}` : ""} (${TIER_LABEL[a.tier]})`);
  const role = access ? `Your role (${access.role})` : "Your key";

  const tools: AgentToolList = {
    crm_get_record: {
      enabled: readable.length > 0,
      description: `Read one CRM record through Tollgate. ${role} may read: ${reads || "nothing"}. Properties your role may not read are never returned.${stopped}`,
    },
    crm_search_records: {
      enabled: readable.length > 0,
      description: `Search CRM records (every filter must match) through Tollgate. ${role} may read and filter on: ${reads || "nothing"}.${stopped}`,
    },
    crm_propose_change: {
      enabled: fields.length > 0 && !stoppedBy,
      description: `Propose a new value for a field, exactly as writing its ai_proposed_<field> shadow field: applied, queued for a person's approval, or refused with the policy's reasons. Fields: ${joinCapped(fields) || "none"}.`,
    },
    crm_update_field: {
      enabled: fields.length > 0 && !stoppedBy,
      description: `Write a field directly through the pre-write gate (the decision of POST /v1/actions update_field): executed when allowed, else an approval or a refusal with reasons. Fields: ${joinCapped(fields) || "none"}.`,
    },
    request_action: {
      enabled: verbs.length > 0 && !stoppedBy,
      description: `Ask before an action Tollgate cannot undo (send, enrollment, meeting, task): the decision, and when allowed a permit {eventId, token} to cite when you perform it; or an approval to wait for. Actions: ${verbs.join(", ") || "none"}.`,
    },
    get_decision: {
      enabled: fields.length > 0 || verbs.length > 0,
      description:
        "Where one of your proposals, actions or approvals stands: give the eventId or approvalId a tool returned.",
    },
  };
  return tools;
}

function actionsOf(access: AgentAccess): { action: string; object?: string; tier: number }[] {
  return [
    ...access.objects.flatMap((o) => o.actions.map((a) => ({ ...a, object: o.object }))),
    ...access.actions.map((a) => ({ ...a })),
  ];
}

/** The names of the tools `list` shows. */
export function enabledTools(list: AgentToolList): McpToolName[] {
  return MCP_TOOL_NAMES.filter((name) => list[name].enabled);
}

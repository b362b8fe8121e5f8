import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { MCP_TOOL_NAMES, type McpToolName } from "../../../shared/index.js";
import { isAgentKeyBlocked } from "../killswitch/index.js";
import { callTool, TOOLS, type CallDeps } from "./call-tool.js";
import { listAgentTools } from "./list-agent-tools.js";
import type { McpCaller } from "./types.js";

/** One agent's MCP server: its tools as its role sees them, and every call governed. */
export interface AgentSession {
  caller: McpCaller;
  server: McpServer;
  /**
   * Re-lists the tools under the tenant's current policy and switches; when what the agent sees
   * changed, the client gets ONE `notifications/tools/list_changed`.
   * @returns whether the list changed
   */
  sync(): Promise<boolean>;
  /** The switch that stops this agent now (tenant, role or agent), if any. */
  stoppedBy(): Promise<string | undefined>;
}

const TITLES: Record<McpToolName, string> = {
  crm_get_record: "Read a CRM record",
  crm_search_records: "Search CRM records",
  crm_propose_change: "Propose a field value",
  crm_update_field: "Write a field (pre-write gate)",
  request_action: "Ask to send, enroll, book or create",
  get_decision: "Where a decision or approval stands",
};
const READ_ONLY = new Set<McpToolName>(["crm_get_record", "crm_search_records", "get_decision"]);

const INSTRUCTIONS =
  "Tollgate governs this CRM: you see only the tools and fields your role allows. Propose values with " +
  "crm_propose_change (with confidence, source, reason and evidence); a refused call says why. Ask " +
  "request_action before any send, enrollment or meeting and act only on a permit.";

/**
 * Builds the MCP server for one agent (docs/contracts.md, MCP). The six tools are registered
 * with their zod input schemas, so `tools/list` carries their JSON Schemas; which of them are
 * listed, and their descriptions, follow the policy and the switches (`sync`). `tools/call` is
 * answered by {@link callTool} for every name — listed or not — so a call to a hidden tool is
 * decided and audited like any other instead of failing as a protocol error.
 */
export async function createAgentSession(c: CallDeps, caller: McpCaller): Promise<AgentSession> {
  const server = new McpServer(
    { name: "tollgate", version: "1.0.0" },
    { capabilities: { tools: { listChanged: true } }, instructions: INSTRUCTIONS },
  );
  const registered = {} as Record<McpToolName, RegisteredTool>;
  for (const name of MCP_TOOL_NAMES) {
    registered[name] = server.registerTool(
      name,
      {
        title: TITLES[name],
        description: TITLES[name],
        inputSchema: TOOLS[name].schema,
        annotations: { readOnlyHint: READ_ONLY.has(name), destructiveHint: false, openWorldHint: true },
      },
      // Never reached: tools/call is answered below. Kept coherent in case the SDK routes here.
      (args, extra) => callTool(c, caller, name, args, extra.signal),
    );
  }
  server.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(c, caller, request.params.name, request.params.arguments, extra.signal),
  );

  async function stoppedBy(): Promise<string | undefined> {
    return isAgentKeyBlocked(
      {
        service: c.deps.killSwitches,
        defaultTenant: caller.tenantId,
        roleOf: (tenantId, agentId) => c.deps.policies.current(tenantId).compiled.agents.get(agentId)?.role,
      },
      { role: "agent", agentId: caller.agentId, tenantId: caller.tenantId },
    );
  }

  async function apply(notify: boolean): Promise<boolean> {
    const policy = c.deps.policies.current(caller.tenantId).compiled;
    const list = listAgentTools(policy, caller.agentId, await stoppedBy());
    let changed = false;
    for (const name of MCP_TOOL_NAMES) {
      const tool = registered[name];
      const want = list[name];
      if (tool.enabled !== want.enabled || tool.description !== want.description) {
        // Set in place: RegisteredTool.update() would notify once per tool.
        tool.enabled = want.enabled;
        tool.description = want.description;
        changed = true;
      }
    }
    if (changed && notify && server.isConnected()) server.sendToolListChanged();
    return changed;
  }
  await apply(false);
  return { caller, server, sync: () => apply(true), stoppedBy };
}

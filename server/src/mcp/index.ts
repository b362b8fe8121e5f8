export { createMcpService } from "./create-mcp-service.js";
export type { McpCaller, McpService, McpServiceOptions } from "./types.js";
export { listAgentTools, enabledTools } from "./list-agent-tools.js";
export type { AgentToolList, ListedTool } from "./list-agent-tools.js";

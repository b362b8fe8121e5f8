import { Router, type Request, type Response } from "express";
import type { McpService } from "../../mcp/index.js";
import { principalOf, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface McpRoutesOptions {
  mcp: McpService;
  authenticate: (header: string | undefined) => Principal | undefined;
  /** The tenant a key without its own `tenantId` acts for. */
  defaultTenant: string;
}

/**
 * docs/contracts.md (MCP): `/mcp`, the governed MCP server over Streamable HTTP (POST for messages, GET for
 * the server's notification stream, DELETE to end a session). Agent keys only, with the same
 * authenticator as every other route; the session is bound to the agent and tenant of the key
 * that opened it. A killed agent is NOT refused here: its calls are answered, as tool results
 * with the switch's reasons (and its reads still work: a switch makes an agent read-only).
 */
export function createMcpRouter({ mcp, authenticate, defaultTenant }: McpRoutesOptions): Router {
  const router = Router();
  const agentOnly = requireRole(authenticate, ["agent"]);
  const serve = async (req: Request, res: Response) => {
    const principal = principalOf(req);
    // The key's tenant, as for every route: an agent never chooses one.
    const caller = { tenantId: tenantOf(req, defaultTenant), agentId: principal.agentId!, name: principal.name };
    await mcp.handleHttp(caller, req, res, req.body);
  };
  router.post("/mcp", agentOnly, serve);
  router.get("/mcp", agentOnly, serve);
  router.delete("/mcp", agentOnly, serve);
  return router;
}

import type { Command } from "commander";
import { pino } from "pino";
import { UnauthorizedError } from "../../errors/index.js";
import { createApiKeyAuthenticator } from "../../http/index.js";
import { createLogger } from "../../observability/index.js";
import { createCliServices } from "../services.js";

/**
 * `tollgate mcp`: the governed MCP server over stdio, for an agent running on this machine
 * (docs/contracts.md, MCP). The agent is the one whose API key is in `TOLLGATE_AGENT_KEY` — the same keys,
 * tenant binding and roles as `/mcp`. It shares the server's database and Redis, so caps, rate
 * limits, kill switches and the audit chain are the server's; stdout carries only the protocol
 * (logs go to stderr). Runs until the client closes stdin.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command("mcp")
    .description("serve the governed MCP server over stdio to the agent whose key is in TOLLGATE_AGENT_KEY")
    .option("--redis-prefix <prefix>", "the running server's Redis namespace", "tollgate")
    .action(async (opts: { redisPrefix: string }) => {
      const key = process.env.TOLLGATE_AGENT_KEY;
      if (!key) throw new UnauthorizedError("TOLLGATE_AGENT_KEY: set it to the agent's API key");
      const services = await createCliServices(process.env, {
        prefix: opts.redisPrefix,
        logger: createLogger({
          level: process.env.LOG_LEVEL === "silent" ? "silent" : "warn",
          destination: pino.destination(2),
        }),
      });
      try {
        const principal = createApiKeyAuthenticator(services.runtime.config.apiKeys)(`Bearer ${key}`);
        if (!principal || principal.role !== "agent" || !principal.agentId)
          throw new UnauthorizedError("TOLLGATE_AGENT_KEY: not a configured agent API key");
        const { runtime } = services;
        // Switches pulled anywhere reach this process (and re-list its tools); so do policy uploads.
        await runtime.services.killSwitches.start();
        const refresh = setInterval(() => void runtime.services.policies.refresh().catch(() => undefined), 5000);
        const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
        const transport = new StdioServerTransport();
        const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
        process.stdin.once("end", () => void transport.close());
        await runtime.services.mcp.connect(
          { tenantId: principal.tenantId ?? services.defaultTenant, agentId: principal.agentId, name: principal.name },
          transport,
        );
        await closed;
        clearInterval(refresh);
      } finally {
        await services.close();
      }
    });
}

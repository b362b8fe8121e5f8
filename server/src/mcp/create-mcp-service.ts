import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { pino } from "pino";
import { RateLimiterRedis } from "rate-limiter-flexible";
import type { CallDeps } from "./call-tool.js";
import type { AgentSession } from "./create-agent-session.js";
import type { McpCaller, McpService, McpServiceOptions } from "./types.js";

// The MCP SDK is loaded with the first session: every CLI command builds a runtime, few serve MCP.
const loadSession = () => import("./create-agent-session.js");
const loadHttp = () => import("@modelcontextprotocol/sdk/server/streamableHttp.js");
const loadTypes = () => import("@modelcontextprotocol/sdk/types.js");

interface OpenSession {
  session: AgentSession;
  /** Set for Streamable HTTP sessions: later requests naming the session go to it. */
  http?: StreamableHTTPServerTransport | undefined;
  /** When the client last sent anything (ms): sessions idle past `idleTimeoutMs` are closed. */
  lastSeen: number;
  /** When it opened (ms): a switch closes only the sessions opened before it. */
  openedAt: number;
  close(): Promise<void>;
}

const sameAgent = (a: McpCaller, b: McpCaller) =>
  a.tenantId === b.tenantId && a.agentId === b.agentId && a.name === b.name;

/** A JSON-RPC error for requests refused before any session handles them (the SDK's own shapes). */
function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/**
 * The governed MCP server (docs/contracts.md, MCP): one {@link AgentSession} per connected agent,
 * over Streamable HTTP (`handleHttp`, sessions per the SDK, each bound to the key that opened it)
 * or any other transport (`connect`: stdio). A policy change or a switch re-lists the tools of
 * that tenant's open sessions (`notifications/tools/list_changed`); `closeSessionsFor` ends an
 * agent's sessions when a switch must cut it off.
 *
 * @example
 * const mcp = createMcpService({ gate, policies, killSwitches, audit, approvals, connectorFor, redis });
 * router.all("/mcp", requireRole(authenticate, ["agent"]), (req, res) => mcp.handleHttp(callerOf(req), req, res,
 * req.body));
 */
export function createMcpService(options: McpServiceOptions): McpService {
  const logger = options.logger ?? pino({ level: "silent" });
  const calls: CallDeps = {
    deps: options,
    now: options.now ?? (() => new Date()),
    logger,
    limiter: new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix ?? "tollgate"}:mcp-rate`,
      points: options.callsPerMinute ?? 600,
      duration: 60,
    }),
  };
  /** Every open session, by a key of its own (the HTTP session id, or a random one for stdio). */
  const open = new Map<string, OpenSession>();
  const clock = () => calls.now().getTime();

  /** Closes and forgets these sessions; their in-flight calls are aborted. */
  async function closeAll(entries: [string, OpenSession][]): Promise<number> {
    for (const [key] of entries) open.delete(key);
    await Promise.all(entries.map(([, o]) => o.close().catch(() => undefined)));
    return entries.length;
  }

  // Sessions no client has used for `idleTimeoutMs` are closed and forgotten (docs/operations.md, configuration).
  const idleMs = options.idleTimeoutMs ?? 30 * 60_000;
  const idleSweep = setInterval(
    () => {
      const cutoff = clock() - idleMs;
      void closeAll([...open.entries()].filter(([, o]) => o.lastSeen < cutoff));
    },
    Math.max(250, Math.min(idleMs / 2, 60_000)),
  );
  idleSweep.unref();

  /** Counts every message the client sends as activity. */
  function watchActivity(transport: Transport, entry: () => OpenSession | undefined): void {
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const o = entry();
      if (o) o.lastSeen = clock();
      deliver?.(message, extra);
    };
  }

  /**
   * After a switch or policy change of a tenant: a session whose agent a switch now stops is
   * closed (in every process: the change notice reaches each), the others re-list their tools.
   */
  async function resync(tenantId: string) {
    const of = [...open.entries()].filter(([, o]) => o.session.caller.tenantId === tenantId);
    await Promise.all(
      of.map(async (entry) => {
        try {
          if (await entry[1].session.stoppedBy()) await closeAll([entry]);
          else await entry[1].session.sync();
        } catch (err) {
          logger.warn({ err: (err as Error).message, tenantId }, "mcp tools not re-listed");
        }
      }),
    );
  }
  options.killSwitches.onChange((tenantId) => void resync(tenantId));
  options.policies.onChange?.((tenantId) => void resync(tenantId));

  async function openHttpSession(caller: McpCaller): Promise<StreamableHTTPServerTransport> {
    const [{ createAgentSession }, { StreamableHTTPServerTransport }] = await Promise.all([loadSession(), loadHttp()]);
    const session = await createAgentSession(calls, caller);
    let id: string | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Plain JSON answers: a tool call is one request and one response, no SSE round trip.
      enableJsonResponse: true,
      onsessioninitialized: (sessionId) => {
        id = sessionId;
        open.set(sessionId, {
          session,
          http: transport,
          lastSeen: clock(),
          openedAt: clock(),
          close: () => session.server.close(),
        });
      },
    });
    transport.onclose = () => {
      if (id) open.delete(id);
    };
    await session.server.connect(transport);
    watchActivity(transport, () => (id ? open.get(id) : undefined));
    return transport;
  }

  return {
    async handleHttp(caller, req, res, body) {
      const header = req.headers["mcp-session-id"];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId) {
        const found = open.get(sessionId);
        // Another key holding a session id learns nothing: the same answer as an unknown id.
        if (!found?.http || !sameAgent(found.session.caller, caller))
          return rpcError(res, 404, -32001, "Session not found");
        return found.http.handleRequest(req, res, body);
      }
      const { isInitializeRequest } = await loadTypes();
      if (req.method !== "POST" || !isInitializeRequest(body))
        return rpcError(res, 400, -32000, "Bad Request: no valid session ID provided");
      const transport = await openHttpSession(caller);
      await transport.handleRequest(req, res, body);
    },

    async connect(caller: McpCaller, transport: Transport) {
      const { createAgentSession } = await loadSession();
      const session = await createAgentSession(calls, caller);
      const key = `local:${randomUUID()}`;
      open.set(key, { session, lastSeen: clock(), openedAt: clock(), close: () => session.server.close() });
      const previous = transport.onclose;
      transport.onclose = () => {
        previous?.();
        open.delete(key);
      };
      await session.server.connect(transport);
      watchActivity(transport, () => open.get(key));
    },

    async closeSessionsFor(tenantId, agentIds, openedBefore) {
      const ids = agentIds ? new Set(agentIds) : undefined;
      const before = openedBefore?.getTime() ?? Infinity;
      return closeAll(
        [...open.entries()].filter(
          ([, o]) =>
            o.session.caller.tenantId === tenantId &&
            (!ids || ids.has(o.session.caller.agentId)) &&
            o.openedAt <= before,
        ),
      );
    },

    sessionCount(tenantId) {
      return [...open.values()].filter((o) => tenantId === undefined || o.session.caller.tenantId === tenantId).length;
    },

    async close() {
      clearInterval(idleSweep);
      await closeAll([...open.entries()]);
    },
  };
}

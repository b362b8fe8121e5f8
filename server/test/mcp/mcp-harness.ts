import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AuditEvent } from "../../../shared/index.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

/** One API key per agent and person of the tests (R1: one identity per agent). */
export const KEYS = {
  enrichment: "mcp-test-key-enrichment-bot-0123456789",
  outreach: "mcp-test-key-outreach-bot-0123456789",
  /** enrichment-bot's key of ANOTHER tenant: it must never reach portal 62515. */
  otherTenant: "mcp-test-key-other-tenant-enrichment-0123456789",
  owner: "mcp-test-key-owner-olive-0123456789",
  approver: "mcp-test-key-approver-ada-0123456789",
} as const;
export const OTHER_TENANT = "99999";

export function apiKeys(tenantId: string): string {
  return JSON.stringify([
    { key: KEYS.enrichment, role: "agent", agentId: "enrichment-bot", tenantId },
    { key: KEYS.outreach, role: "agent", agentId: "outreach-bot", tenantId },
    { key: KEYS.otherTenant, role: "agent", agentId: "enrichment-bot", tenantId: OTHER_TENANT },
    { key: KEYS.owner, role: "owner", name: "olive", tenantId },
    { key: KEYS.approver, role: "approver", name: "ada", tenantId },
  ]);
}

/** A real Tollgate on the sandbox, with the test keys. */
export async function startMcpHarness(env: Record<string, string> = {}): Promise<Harness> {
  return startTollgateWithSandbox({ env: { TOLLGATE_API_KEYS: apiKeys("62515"), ...env } });
}

/** An MCP SDK client over a transport, counting `notifications/tools/list_changed`. */
export interface AgentClient {
  client: Client;
  /** How many tools/list_changed notifications arrived so far. */
  listChanges(): number;
  /** Resolves at the next list_changed notification. */
  nextListChange(timeoutMs?: number): Promise<void>;
  toolNames(): Promise<string[]>;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { body: Record<string, any> }>;
  close(): Promise<void>;
}

export async function connectClient(transport: Transport): Promise<AgentClient> {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  let changes = 0;
  let waiters: (() => void)[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes++;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  });
  await client.connect(transport);
  return {
    client,
    listChanges: () => changes,
    nextListChange: (timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no tools/list_changed notification")), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name).sort(),
    async call(name, args) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      return { ...result, body: result.structuredContent as Record<string, any> };
    },
    close: () => client.close(),
  };
}

export function httpTransport(baseUrl: string, key: string, sessionId?: string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    ...(sessionId ? { sessionId } : {}),
  });
}

/** The audit event with this id, from the tenant's chain. */
export async function auditEvent(h: Harness, eventId: string): Promise<AuditEvent> {
  const event = await h.tollgate.services.audit.get(h.tenantId, eventId);
  if (!event) throw new Error(`no audit event ${eventId}`);
  return event;
}

/** The newest audit events of a tool, newest first. */
export async function eventsOfTool(h: Harness, tenantId: string, toolName: string): Promise<AuditEvent[]> {
  const { rows } = await h.tollgate.internals.db.query<{ event: AuditEvent }>(
    "SELECT event FROM audit_events WHERE tenant_id = $1 AND event->>'tool_name' = $2 ORDER BY id DESC",
    [tenantId, toolName],
  );
  return rows.map((r) => r.event);
}

export async function setSwitch(h: Harness, agentId: string, state: "on" | "off"): Promise<void> {
  const res = await fetch(`${h.baseUrl}/v1/kill-switches`, {
    method: "PUT",
    headers: { authorization: `Bearer ${KEYS.owner}`, "content-type": "application/json" },
    body: JSON.stringify({ scope: { type: "agent", value: agentId }, state, reason: `mcp test: ${state}` }),
  });
  if (res.status !== 200) throw new Error(`kill switch ${state}: ${res.status} ${await res.text()}`);
}

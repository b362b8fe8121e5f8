import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import type { CrmName } from "../../../shared/index.js";
import type { ActionGate } from "../actions/index.js";
import type { StoredApproval } from "../approvals/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { KillSwitchService } from "../killswitch/index.js";
import type { Logger } from "../observability/index.js";
import type { CompiledPolicy } from "../policy/index.js";

/**
 * The agent behind one MCP session: an agent API key, already authenticated, and the tenant it
 * is bound to. Identity comes from the key, never from what the client says (docs/contracts.md, rules that never bend).
 */
export interface McpCaller {
  tenantId: string;
  agentId: string;
  /** The key's name (audit). */
  name: string;
}

export interface McpServiceOptions {
  /** The pre-write gate: every write, proposal and action goes through its one decision path. */
  gate: ActionGate;
  /** The tenant's policy; `onChange` re-lists tools for that tenant's open sessions. */
  policies: {
    current(tenantId: string): { compiled: CompiledPolicy };
    onChange?(listener: (tenantId: string) => void): void;
  };
  /** Switches: a tenant, role or agent switch stops the agent's writes and hides its write tools. */
  killSwitches: Pick<KillSwitchService, "active" | "onChange">;
  /** Reads (searches, `get_decision`) and refusals that never reach the gate are audited here. */
  audit: {
    append(input: AuditEventInput): Promise<{ event_id: string }>;
    get(tenantId: string, eventId: string): Promise<AuditEvent | undefined>;
  };
  approvals: { get(tenantId: string, id: string): Promise<StoredApproval | undefined> };
  /** The tenant's connector for a CRM; throws when the tenant has none (a `TollgateError` says why). */
  connectorFor(tenantId: string, crm: CrmName): Promise<CrmConnector>;
  /** Holds the per-agent call rate (rate-limiter-flexible keys under `<prefix>:mcp-rate`). */
  redis: Redis;
  /** @defaultValue "tollgate" */
  prefix?: string;
  /**
   * Tool calls one agent may make per minute, across sessions and processes; past it a call is
   * refused (`rate_limited`, with when to retry) before anything is read or decided.
   * @defaultValue 600
   */
  callsPerMinute?: number;
  /**
   * A session whose client has sent nothing for this long is closed and forgotten (its client
   * must initialize again). @defaultValue 1_800_000 (30 minutes; `TOLLGATE_MCP_IDLE_TIMEOUT_S`)
   */
  idleTimeoutMs?: number;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** @defaultValue a silent logger */
  logger?: Logger;
}

export interface McpService {
  /**
   * Serves `POST`/`GET`/`DELETE /mcp` (Streamable HTTP) for an authenticated agent: an
   * `initialize` without a session opens one bound to `caller`; later requests must name the
   * session AND come with the same agent's key (another key, even of the same tenant, gets 404).
   */
  handleHttp(caller: McpCaller, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void>;
  /** Serves one agent over any MCP transport (stdio for `tollgate mcp`); resolves once connected. */
  connect(caller: McpCaller, transport: Transport): Promise<void>;
  /**
   * Closes every open session of these agents of a tenant (all of its agents when `agentIds`
   * is omitted): their in-flight calls are aborted — one not yet decided is refused, never
   * decided — and their clients must reconnect. For kill switches that cover an agent.
   * With `openedBefore`, only sessions opened by then (a switch leaves the read-only sessions
   * opened after it alone).
   * @returns how many sessions were closed
   */
  closeSessionsFor(tenantId: string, agentIds?: readonly string[], openedBefore?: Date): Promise<number>;
  /** Open sessions, by tenant (tests, metrics). */
  sessionCount(tenantId?: string): number;
  close(): Promise<void>;
}

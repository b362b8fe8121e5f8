import type { AuditEventInput, ContainmentPoint, ContainmentReport } from "../../../shared/index.js";
import type { AgentTokenBroker } from "../agent-tokens/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { Database } from "../db/index.js";
import type { KillSwitch, KillSwitchService } from "../killswitch/index.js";
import type { Logger } from "../observability/index.js";
import type { CompiledPolicy } from "../policy/index.js";

export interface ContainmentOptions {
  db: Database;
  audit: { append(input: AuditEventInput): Promise<{ event_id: string }> };
  killSwitches: Pick<KillSwitchService, "active" | "cached" | "list">;
  /** The tenant's policy: which agents a switch covers, their CRM users, the people never to freeze. */
  policyOf(tenantId: string): CompiledPolicy;
  connectorFor(tenantId: string): Promise<CrmConnector>;
  /** Tollgate's own CRM users of a tenant (the Salesforce integration user): never frozen. */
  ownUserIds(tenantId: string): readonly string[];
  /** The governed MCP server in this process: a switch closes its agents' sessions. */
  mcp?:
    | { closeSessionsFor(tenantId: string, agentIds?: readonly string[], openedBefore?: Date): Promise<number> }
    | undefined;
  /** Agent apps installed through Tollgate: a trip revokes their HubSpot refresh tokens (crm_tokens_revoked). */
  agentTokens?: Pick<AgentTokenBroker, "revokeFor" | "installPath"> | undefined;
  /** CRM change batches received but not yet enforced (pending webhook receipts): direct writes are contained only once none is left. */
  pendingChanges?: (tenantId: string) => Promise<number>;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  logger?: Logger;
  /** How often points not yet confirmed are checked again. @defaultValue 1_000 */
  recheckMs?: number;
  /** How long a switch change is watched before it is reported `not_contained`. @defaultValue 600_000 */
  watchMs?: number;
  /**
   * Direct writes count as contained once none has been refused for this long and no revert is
   * left to land (writes already in the CRM's webhook or CDC pipe still arrive after a trip).
   * @defaultValue 2_000
   */
  quietMs?: number;
}

export interface Containment {
  /**
   * Acts on one switch change (on: cancel queued work, refuse, revoke, close, freeze, watch
   * reverts; off: unfreeze), records the report and keeps checking what has not confirmed yet.
   * Resolves with the first report; the watch goes on in the background.
   */
  handle(change: KillSwitch): Promise<ContainmentReport>;
  /** The reports of these switch changes (by their audit event ids). */
  reportsOf(tenantId: string, eventIds: readonly string[]): Promise<Map<string, ContainmentReport>>;
  /** Resolves when every watch has ended (tests, drills). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** What one point check works with. */
export interface PointContext {
  options: ContainmentOptions;
  change: KillSwitch;
  /** The switch's key (`agent:x`, `role:y`, `tenant`, `channel:crm`…). */
  key: string;
  /** The `KillSwitchState` keys it turns on (`all_outbound` is two). */
  keys: string[];
  /** The agents of the policy the switch stops as agents (agent, role or tenant scope); else empty. */
  agents: string[];
  /** Whether the switch stops agents as such (agent, role, tenant) rather than one channel or segment. */
  coversAgents: boolean;
  policy: CompiledPolicy;
  at: () => string;
  /** What a point remembers between its checks of one switch change. */
  memo: Map<string, number>;
}

export type PointCheck = (ctx: PointContext) => Promise<ContainmentPoint>;

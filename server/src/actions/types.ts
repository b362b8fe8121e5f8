import type { Redis } from "ioredis";
import type { AuditEventInput, ActionResponse, CrmName } from "../../../shared/index.js";
import type { CrmRecord } from "../crm/index.js";
import type { Database, Sql } from "../db/index.js";
import type { GuardPort, NewException, PlannedCrmWrite } from "../enforce/index.js";
import type { CounterStore } from "../limits/index.js";
import type { Logger } from "../observability/index.js";
import type { CompiledPolicy, KillSwitchState } from "../policy/index.js";
import type { ApprovalStore } from "../approvals/index.js";

/** Who asks the gate: an agent's API key (`Principal` of http/authenticate.ts satisfies it). */
export interface ActionCaller {
  role: string;
  /** The key's name, shown in the audit as `api_key:<name>`. */
  name: string;
  via: string;
  agentId?: string | undefined;
  /** How the audit's `actor.via` names the path the agent came by. @defaultValue `<via>:<name>` */
  auditVia?: string | undefined;
}

/** How the caller means its request (the MCP server's tools). */
export interface ActionHandleOptions {
  /**
   * An `update_field` that PROPOSES the value, exactly as a shadow-field write does (docs/contracts.md, fields the app
   * installs):
   * audited as a `proposal`, its approval card carries the proposal's risk flags (no evidence,
   * low confidence, overwrites a value), and a refusal opens a `proposal_refused` exception.
   * The decision, caps, switches, approvals and writes are the gate's own.
   */
  proposal?: boolean;
}

/** What one request came to; `replayed` when an idempotency key answered from a stored result. */
export interface ActionResult {
  response: ActionResponse;
  replayed: boolean;
}

export interface ActionGate {
  /**
   * Decides one agent action and carries out what Tollgate can (docs/architecture.md#the-flow,
   * docs/contracts.md#http-api):
   * - every decision is audited BEFORE anything is executed (docs/contracts.md#rules-that-never-bend), with the intent;
   * - an allowed `update_field` is queued as a CRM write in the same transaction (`executed`);
   * - an allowed send, enrollment, meeting or task is answered with a `permit`: Tollgate has
   *   no email, sequence or calendar provider, so the agent performs it and cites the event id;
   * - needing a person (or a window or cap exception) creates an approval; retrying with its
   *   `approvalId` once approved is allowed;
   * - refusals open an exception and count toward the denial trigger.
   * @throws ValidationError (400) on a bad request; nothing is written.
   * @throws ForbiddenError (403) for a key that is not an agent's.
   * @throws ConflictError (409) for an idempotency key reused with another request, or in use.
   */
  handle(
    tenantId: string,
    caller: ActionCaller,
    request: unknown,
    options?: ActionHandleOptions,
  ): Promise<ActionResult>;
}

export interface ActionGateOptions {
  /** The system of record: audit event, approval, CRM write and idempotency row commit together. */
  db: Database;
  audit: { append(input: AuditEventInput, options?: { tx?: Sql }): Promise<{ event_id: string }> };
  policies: { current(tenantId: string): { compiled: CompiledPolicy } };
  /** Cap counters (limits/): snapshot before deciding, atomic consume after. */
  counters: CounterStore;
  killSwitches: { active(tenantId: string): Promise<KillSwitchState> };
  /**
   * The enforcement guard (killswitch/): counts each request toward `agent_writes_per_minute`
   * before deciding (a trip stops the request that crossed it) and, after, toward
   * `denials_per_minute` and what switches prevented. Without it only `killSwitches` is read.
   */
  guard?: Pick<GuardPort, "prepare" | "settled"> | undefined;
  writes: {
    enqueue(writes: PlannedCrmWrite[], options?: { tx?: Sql }): Promise<string[]>;
    kick(tenantIds: string[]): Promise<void>;
  };
  /** Reads approvals (with their `action`) for retries that carry an `approvalId`. */
  approvals: Pick<ApprovalStore, "get" | "create">;
  exceptions: { open(exceptions: NewException[], options: { tx: Sql }): Promise<void> };
  /** After commit: schedules expiry of the approvals created (approvals/ `ApprovalQueue.schedule`). */
  scheduleApprovals?: ((tenantId: string, ids: string[]) => Promise<void>) | undefined;
  /**
   * Reads the target record: the current value of a field to update (its `before`, and what an
   * approver is shown) and a contact's `hs_email_optout` before a send. Without it, opt-out
   * comes only from `payload.optedOut`.
   */
  readRecords?:
    | ((
        tenantId: string,
        crm: CrmName,
        objectType: string,
        ids: string[],
        properties: string[],
      ) => Promise<CrmRecord[]>)
    | undefined;
  /**
   * Whether the CRM marks a field's values sensitive (HubSpot Sensitive Data): an `update_field` of
   * one is audited, written and approved with its values hashed in every audit event
   * (docs/contracts.md#audit-event). Without it no field is.
   */
  isSensitive?: ((tenantId: string, crm: CrmName, objectType: string, field: string) => Promise<boolean>) | undefined;
  /**
   * Whether the sending system reported the recipient unsubscribed or complaining (signals/):
   * such a send is refused as opted out. Without it, only the CRM's flag and the payload count.
   */
  isSuppressed?: ((tenantId: string, recipient: string) => Promise<boolean>) | undefined;
  /** Until when the agent is in safe mode (safe-mode/): a decision input, holding its tier-2 actions for a person. */
  safeModeUntil?: ((tenantId: string, agentId: string) => Promise<Date | undefined>) | undefined;
  /** CRMs whose field writes the write queue can carry out. @defaultValue ["hubspot"] */
  executableCrms?: readonly CrmName[];
  /** Holds the send-dedupe memory (24 h keys). Shared; never closed by the gate. */
  redis: Redis;
  /** @defaultValue "tollgate" */
  prefix?: string;
  /** Signs permits (HMAC-SHA256); without it, permits carry no token. */
  permitSecret?: Uint8Array | undefined;
  /** @defaultValue 300_000 (5 minutes) */
  permitTtlMs?: number;
  /** Same recipient and template within this window is a duplicate. @defaultValue 86_400_000 */
  dedupeWindowMs?: number;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** @defaultValue a silent logger */
  logger?: Logger;
}

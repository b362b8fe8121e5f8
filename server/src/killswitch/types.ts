import type { Redis } from "ioredis";
import type { TriggerCounter } from "./create-trigger-counter.js";
import type { AuditEventInput, KillSwitchScope, KillSwitchStateName } from "../../../shared/index.js";
import type { ApiKeyRole } from "../config/index.js";
import type { Database, Sql } from "../db/index.js";
import type { KillSwitchState } from "../policy/index.js";
import type { Logger } from "../observability/index.js";

/** Who changed a switch: a person (API key name, CLI user) or Tollgate's automatic trigger. */
export interface KillSwitchActor {
  type: "human" | "system";
  id: string;
  role?: string | null | undefined;
  /** `api_key`, `cli`, `trigger:<metric>`. */
  via?: string | null | undefined;
}

/** What a switch kept from happening while it was on. */
export interface Prevented {
  /** Agent decisions answered `killed`. */
  decisions: number;
  /** Queued agent writes it cancelled (docs/operations.md, containment: `queued_work_cancelled`). */
  cancelledWrites: number;
}

/** One switch as `PUT`/`GET /v1/kill-switches` show it (docs/contracts.md#http-api): the switch with who/when. */
export interface KillSwitch {
  tenantId: string;
  /** `value` is null for the tenant scope; channel aliases are stored as the policy's channel. */
  scope: { type: KillSwitchScope; value: string | null };
  state: KillSwitchStateName;
  reason: string;
  who: { type: "human" | "system"; id: string; role: string | null; via: string | null };
  /** ISO-8601 UTC. */
  when: string;
  /** The audit event recording this change. */
  eventId: string | null;
  /** Counted while on (from Redis; best effort). On an `off` change: what the whole period prevented. */
  prevented?: Prevented;
  /** False when the request asked for the state the switch already had: nothing was recorded. */
  changed?: boolean;
}

export interface SetKillSwitch {
  scope: { type: KillSwitchScope; value?: string | null | undefined };
  state: KillSwitchStateName;
  reason: string;
}

/** A queued CRM write, as far as `cancelWrite` needs to know it. */
export interface CancellableWrite {
  tenantId: string;
  purpose: string;
  agentId: string | null;
}

export interface KillSwitchAuditPort {
  append(input: AuditEventInput, options?: { tx?: Sql }): Promise<{ event_id: string }>;
}

export interface KillSwitchServiceOptions {
  /** The truth: tables `kill_switches` and `kill_switch_history` (migration 005). */
  db: Database;
  /** The cache; shared, never closed by the service (it closes only its own subscriber). */
  redis: Redis;
  /** @defaultValue `"tollgate"` */
  prefix?: string;
  audit: KillSwitchAuditPort;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** The agent's role under the tenant's policy, so `role:` switches cancel its queued writes. */
  roleOf?: (tenantId: string, agentId: string) => string | undefined;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /**
   * How often `start()`ed services re-read the active switches from PostgreSQL, in case a
   * change notice (Redis pub/sub) was missed, and repair the Redis cache from them.
   * @defaultValue 5_000
   */
  syncIntervalMs?: number;
  /** The automatic triggers' counters: a lifted switch resets those of its scope. */
  triggers?: Pick<TriggerCounter, "reset">;
}

export interface KillSwitchService {
  /**
   * Turns a switch on or off, in one transaction with its audit event (who, when, why) and its
   * history row; then refreshes the cache and tells other processes. Asking for the state a
   * switch already has records nothing (`changed: false`).
   */
  set(tenantId: string, request: SetKillSwitch, actor: KillSwitchActor): Promise<KillSwitch>;
  /** The active switches as `decide` takes them. Reads the Redis cache; rebuilds it from PostgreSQL when missing. */
  active(tenantId: string): Promise<KillSwitchState>;
  /** The switches that are on, with who/when/why and what they prevented so far. */
  list(tenantId: string): Promise<KillSwitch[]>;
  /** Every change of the tenant's switches, newest first. */
  history(tenantId: string, limit?: number): Promise<KillSwitch[]>;
  /**
   * For the write queue's `cancel` option: the switch (its audit event, who and why) that
   * cancels an agent's queued write (apply, provenance, agent action) — a tenant, `channel:crm`,
   * role or agent switch that covers it — or `undefined`. Protective writes (revert, rollback,
   * clear_shadow) are never cancelled (docs/contracts.md#rules-that-never-bend). Synchronous:
   * answers from the in-process copy kept fresh by `start()`.
   */
  cancelWrite(row: CancellableWrite): { causedBy: string; reason: string; key: string } | undefined;
  /** The in-process copy of a tenant's switches (what `cancelWrite` uses). */
  cached(tenantId: string): KillSwitchState;
  /** Adds `n` refused decisions to what the active switch `key` prevented. */
  countPrevented(tenantId: string, byKey: ReadonlyMap<string, number>): Promise<void>;
  /** Called after any switch of a tenant changes (here or in another process), e.g. to kick the write queue. */
  onChange(listener: (tenantId: string) => void): void;
  /**
   * Called in THIS process after it changed a switch (committed, caches refreshed), with the
   * change: what containment acts on (docs/operations.md, containment). Not called for
   * requests that changed nothing, nor for changes made by other processes.
   */
  onSwitched(listener: (change: KillSwitch) => void): void;
  /** Loads every switch from PostgreSQL, rebuilds the Redis cache, subscribes to change notices. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The holder of an API key, as far as switches care: http's `Principal` satisfies it. Kept here so
 * the kill switches need nothing from http/ (http/ depends on them, not the reverse).
 */
export interface KeyHolder {
  role: ApiKeyRole;
  agentId?: string | undefined;
  tenantId?: string | undefined;
}

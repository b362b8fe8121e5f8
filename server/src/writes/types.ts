import type { Redis, RedisOptions } from "ioredis";
import type { AuditEventInput, CrmName } from "../../../shared/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { Database, Sql } from "../db/index.js";
import type { Logger } from "../observability/index.js";
import type { PlannedWrite, WritePurpose, WriteStatus } from "./planned-write.js";

/** One row of `crm_writes`: an intended property write and what became of it. */
export interface CrmWriteRow {
  id: string;
  /** Claim order within the tenant (a bigint, as text). */
  seq: string;
  tenantId: string;
  crm: CrmName;
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
  purpose: WritePurpose;
  agentId: string | null;
  causedBy: string;
  expected: Record<string, string | null> | null;
  /** Properties whose values the CRM marks sensitive: the audit keeps only their hashes. @defaultValue [] */
  sensitiveFields?: string[];
  status: WriteStatus;
  attempts: number;
  lastError: string | null;
  resultEventId: string | null;
  notBefore: Date | null;
  createdAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

/**
 * What the queue needs from the audit log. `createAuditLog(db)` from `audit/` satisfies it;
 * with `tx`, the events commit or roll back with the caller's transaction.
 */
export interface AuditSink {
  appendMany(inputs: readonly AuditEventInput[], opts?: { tx?: Sql }): Promise<{ event_id: string }[]>;
}

export interface CrmWriteQueueOptions {
  /** The system of record: rows live in `crm_writes`. */
  db: Database;
  /** ioredis options or an instance; the queue works on its own duplicate and closes it. */
  redis: RedisOptions | Redis;
  /**
   * BullMQ key prefix; tests use their own.
   * @defaultValue `"tollgate"`
   */
  prefix?: string;
  audit: AuditSink;
  /** The tenant's CRM, the only way the queue reaches it. */
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /**
   * CRM calls per tenant per window, enforced by BullMQ across every process.
   * @defaultValue `{ max: 9, durationMs: 1_000 }` — 90 per 10 s, under HubSpot's 100 per 10 s
   * for a private app on Free/Starter, leaving room for enforcement's reads. BullMQ's window is
   * fixed while HubSpot's is rolling: 90 per fixed 10 s could put 180 calls in one rolling 10 s,
   * whereas 9 per second never puts more than 99 there.
   * @see HubSpot: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
   */
  limiter?: { max: number; durationMs: number };
  /**
   * Rows per CRM call.
   * @defaultValue the connector's `writeBatchSize` (HubSpot 100, Salesforce 200), else 100.
   */
  batchSize?: number;
  /**
   * Pause while the CRM's last reported remaining budget is at or below this, until its
   * interval resets, so the queue never provokes a 429.
   * @defaultValue 5
   */
  rateLimitHeadroom?: number;
  /** Retries of server errors, lock and network failures (rate limits are waited out, never counted). */
  retry?: {
    /** Sends before a row is failed. @defaultValue 5 */
    attempts?: number;
    /** First backoff; doubles per attempt. @defaultValue 1000 */
    baseDelayMs?: number;
    /** @defaultValue 60_000 */
    maxDelayMs?: number;
    /**
     * Protective writes (everything but an agent's own action) ignore `attempts` and retry until
     * they are this old. @defaultValue 24 hours
     */
    protectiveMaxAgeMs?: number;
  };
  /**
   * Protective writes that keep failing (from their third attempt) and flushes that cannot run
   * at all (PostgreSQL away): alert an operator. They go on retrying.
   */
  onFailing?: (failure: { tenantId: string; rowIds: string[]; attempts: number; error: string }) => unknown;
  /** How often tenants with unsettled rows are re-driven, whatever happened to their kicks. @defaultValue 30_000 */
  sweepIntervalMs?: number;
  /**
   * How long a flush job's lock lasts without renewal; after a crash, the job is taken over
   * once it lapses.
   * @defaultValue 30_000
   */
  lockDurationMs?: number;
  /**
   * Called with the claimed rows just before sending; returns the rows to skip as conflicts
   * (row id → reason), e.g. a field a human changed since the revert was planned.
   */
  guard?: (rows: CrmWriteRow[]) => Promise<Map<string, string>>;
  /**
   * Cancels agent writes a kill switch covers (docs/operations.md, containment): such a row is
   * never sent — it settles as `cancelled`, audited as caused by the switch — whether it is
   * queued, backing off or claimed and about to be sent. Never cancel protective writes
   * (docs/contracts.md#rules-that-never-bend).
   */
  cancel?: WriteCanceller;
  /** Called after rows reach a final status (done, failed, skipped, cancelled) and that is committed. */
  onSettled?: (rows: CrmWriteRow[]) => Promise<void>;
}

export type WriteStats = Record<WriteStatus, number>;

/** Why a queued write is cancelled: the kill switch that covers it. */
export interface WriteCancel {
  /** The switch's audit event: the cancel's audit event is caused by it. */
  causedBy: string;
  /** Who turned which switch on, and why. */
  reason: string;
}

/** The kill switches as the queue sees them (killswitch/ `cancelWrite`). */
export interface WriteCanceller {
  /** Whether any switch of the tenant is on: only then are its queued agent writes looked at. */
  active(tenantId: string): boolean;
  /** The switch that cancels this row, or `undefined` (always for protective writes). */
  causeOf(row: CrmWriteRow): WriteCancel | undefined;
}

export interface CrmWriteQueue {
  /**
   * Inserts pending rows and returns their ids, in input order. With `tx`, the rows commit
   * with the caller's transaction (with its intent audit event); call `kick` after the commit.
   * Without `tx`, the rows are committed and kicked here.
   */
  enqueue(writes: readonly PlannedWrite[], opts?: { tx?: Sql }): Promise<string[]>;
  /** Schedules a flush for each tenant (debounced: one pending flush job per tenant). */
  kick(tenantIds: Iterable<string>): Promise<void>;
  /**
   * Starts processing: in-flight rows left by a crashed process go back to pending, and every
   * tenant with unsettled rows gets a flush.
   */
  start(): Promise<void>;
  /** Row counts by status for one tenant. */
  stats(tenantId: string): Promise<WriteStats>;
  /**
   * Resolves when no row (of the tenant, or at all) is in flight or pending. For tests and
   * benchmarks.
   */
  drain(tenantId?: string, opts?: { timeoutMs?: number }): Promise<void>;
  /**
   * Stops the workers and closes Redis. `force` abandons flushes in progress: their rows stay
   * in flight and are taken over on the next start.
   */
  close(opts?: { force?: boolean }): Promise<void>;
}

export type { PlannedWrite };

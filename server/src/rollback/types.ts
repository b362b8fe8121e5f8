import type { AuditActor, AuditEventInput, CrmName } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import type { SnapshotStore } from "../snapshots/index.js";
import type { RollbackRequestInput } from "./rollback-request.js";

/** One change an agent made in the CRM, as the audit log and the write queue recorded it. */
export interface AgentChange {
  /** The audit event of the change: an allowed `field_write`, or the proposal an apply carried out. */
  eventId: string;
  kind: "direct" | "applied";
  agentId: string | null;
  runId: string | null;
  crm: CrmName;
  objectType: string;
  objectId: string;
  field: string;
  /** The value before the change when the event knows it (applies know it; direct writes do not). */
  before: string | null | undefined;
  /** What the agent put there. */
  after: string | null;
  occurredAt: Date;
  /** Recorded order, to break ties between changes of the same instant. */
  order: number;
}

export interface PlannedRestore {
  /** The latest selected change of the field: the event this restore undoes. */
  eventId: string;
  objectType: string;
  objectId: string;
  field: string;
  restoreTo: string | null;
  /** Every selected change of this field, earliest first. */
  undoes: string[];
  /** True when an owner forced it over a conflict. */
  forced?: boolean;
}

export interface RollbackConflict {
  eventId: string;
  objectType: string;
  objectId: string;
  field: string;
  /** The value the record holds now, as Tollgate last saw it. */
  current: string | null;
  /** What the agent wrote (the latest selected change). */
  expected: string | null;
  changedBy: string | null;
  reason?: string;
}

/** A field whose value before the agent's first change is not known: nothing is planned for it. */
export interface UnrestorableChange {
  eventId: string;
  objectType: string;
  objectId: string;
  field: string;
  reason: string;
}

/** docs/contracts.md#http-api: the answer to `POST /v1/rollback`. */
export interface RollbackPlan {
  /** null for a dry run: no job was made. */
  jobId: string | null;
  dryRun: boolean;
  planned: PlannedRestore[];
  conflicts: RollbackConflict[];
  unrestorable: UnrestorableChange[];
}

export const ROLLBACK_JOB_STATES = ["queued", "running", "done", "failed"] as const;
export type RollbackJobState = (typeof ROLLBACK_JOB_STATES)[number];

/** docs/contracts.md#http-api: the answer to `GET /v1/rollback/:jobId` (plus counts beyond the contract). */
export interface RollbackJob {
  jobId: string;
  tenantId: string;
  state: RollbackJobState;
  /** Restores settled (written, failed or skipped), out of `total`. */
  done: number;
  total: number;
  written: number;
  failed: number;
  /** Conflicts found when planning, and restores the write queue skipped because the field changed meanwhile. */
  conflicts: RollbackConflict[];
  requestedBy: AuditActor;
  createdAt: string;
  finishedAt: string | null;
}

/** What rollback needs from the write queue (`createCrmWriteQueue` satisfies it). */
export interface RollbackWritesPort {
  enqueue(
    writes: {
      tenantId: string;
      crm: CrmName;
      objectType: string;
      objectId: string;
      properties: Record<string, string>;
      purpose: "rollback";
      agentId: null;
      causedBy: string;
      expected: Record<string, string | null> | null;
    }[],
    opts?: { tx?: Sql },
  ): Promise<string[]>;
  kick(tenantIds: Iterable<string>): Promise<void>;
}

export interface RollbackAuditPort {
  appendMany(inputs: AuditEventInput[], opts?: { tx?: Sql }): Promise<{ event_id: string }[]>;
}

/** A settled `crm_writes` row as the write queue's `onSettled` hands it over. */
export interface SettledWrite {
  id: string;
  purpose: string;
  status: string;
  lastError: string | null;
}

export interface RollbackServiceOptions {
  db: Database;
  audit: RollbackAuditPort;
  writes: RollbackWritesPort;
  snapshots: SnapshotStore;
  /**
   * Reads records with property history from the tenant's CRM: the fallback for a field whose
   * value before the agent's first change Tollgate never saw. Without it such fields are
   * reported as `unrestorable`.
   */
  readHistory?: (tenantId: string, objectType: string, ids: string[], properties: string[]) => Promise<HistoryRecord[]>;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

export interface HistoryRecord {
  objectId: string;
  history?: Record<string, { value: string | null; timestamp: string }[]> | undefined;
}

export interface RollbackService {
  /**
   * Selects the agent's changes, works out what to restore and what conflicts, and (unless
   * `dryRun`) records the job, one `rollback` audit event per restored value and the CRM writes
   * in one transaction, then kicks the write queue.
   * @throws ValidationError for a bad request; nothing is changed.
   */
  plan(tenantId: string, request: RollbackRequestInput, requestedBy: AuditActor): Promise<RollbackPlan>;
  /** Progress of a job; `undefined` when the tenant has no such job. */
  getJob(tenantId: string, jobId: string): Promise<RollbackJob | undefined>;
  /** Chain on the write queue's `onSettled`: moves rollback items and their jobs forward. */
  onWritesSettled(rows: readonly SettledWrite[]): Promise<void>;
}

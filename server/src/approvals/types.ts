import type { Approval, ApprovalBatchResult, AuditEventInput, Inbox, InboxQuery } from "../../../shared/index.js";
import type { CrmConnector, CrmUser } from "../crm/index.js";
import type { Sql } from "../db/index.js";
import type { PlannedCrmWrite } from "../enforce/index.js";
import type { SnapshotStore } from "../snapshots/index.js";
import type { CrmWriteRow } from "../writes/index.js";
import type { ApprovalJob } from "./approval-queue.js";
import type { ApprovalStore, StoredApproval } from "./approval-store.js";

/**
 * A person deciding on an approval. `id` is stable (`hubspot:user:42`, `api_key:ada`); `name`
 * is what people read (an email, a key's name). Two approvers are the same person when either
 * matches (two-person rule, requirements R4).
 */
export interface Approver {
  id: string;
  name: string;
  /**
   * The person's email when known (a card user's `userEmail`, an API key's `email`): a person
   * with a key and a card session is one person (two-person rule).
   */
  email?: string | undefined;
  /** How the person reached us: `hubspot_card`, `api_key`. */
  via: string;
  /** The API key's role, shown in the audit. @defaultValue "approver" */
  role?: string | undefined;
  /** Set for an agent's API key: an agent never approves its own proposal. */
  agentId?: string | undefined;
  /**
   * A card acts for the record it is shown on: approvals of other records are "not found".
   * Unset for API keys.
   */
  objectId?: string | undefined;
  /** The CRM's own record of a card user (roles, teams), which approver groups are checked against. */
  crmUser?: CrmUser | undefined;
}

export type Decision = "approve" | "reject";

/** One item of `POST /v1/approvals/batch`, or one single decision. */
export interface DecisionItem {
  id: string;
  decision: Decision;
  /** The value the approver saw; approving is bound to it. */
  expected?: { value: string | null } | undefined;
  /** Required to reject. */
  reason?: string | undefined;
}

/** What came of one decision; errors carry a stable code. */
export interface DecisionResult {
  id: string;
  ok: boolean;
  /** The approval's status after the decision (`null` when it was not found). */
  status: Approval["status"] | null;
  /** `approved`, `partially_approved`, `rejected`, `unchanged` when ok. */
  outcome?: "approved" | "partially_approved" | "rejected" | "unchanged" | undefined;
  error?: { code: string; message: string; details?: unknown } | undefined;
}

/** What the service needs from the audit log (`createAuditLog` satisfies it). */
export interface ApprovalAuditSink {
  appendMany(inputs: readonly AuditEventInput[], options?: { tx?: Sql }): Promise<{ event_id: string }[]>;
}

/** What the service needs from the CRM write queue (`createCrmWriteQueue` satisfies it). */
export interface ApprovalWritesPort {
  enqueue(writes: PlannedCrmWrite[], options?: { tx?: Sql }): Promise<string[]>;
  kick(tenantIds: string[]): Promise<void>;
}

export interface ApprovalServiceOptions {
  /** The system of record: `approvals`, `audit_events`, `crm_writes` commit together. */
  db: Sql & { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> };
  audit: ApprovalAuditSink;
  store: ApprovalStore;
  writes: ApprovalWritesPort;
  /** Latest observed values: the first place the before-value check looks. */
  snapshots: SnapshotStore;
  /**
   * The tenant's CRM, read when no snapshot is fresh enough to tell whether the canonical
   * value still equals the value the approver was shown. Without it, an unknown current value
   * is left to the write queue's conflict guard.
   */
  connectorFor?: ((tenantId: string) => Promise<CrmConnector>) | undefined;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /**
   * Why `approver` may not decide `approval` (approver groups, docs/operations.md), or
   * `undefined` when they may. Without it everyone who reaches the service may.
   */
  whyNotAllowed?: ((approval: StoredApproval, approver: Approver) => string | undefined) | undefined;
  /**
   * Told (after commit, best effort) which approvals a decision or an expiry settled, e.g. to
   * complete their notification tasks (`ApprovalNotifier.closeSettled`).
   */
  onDecided?: ((tenantId: string, ids: readonly string[]) => Promise<unknown>) | undefined;
}

/** The approval as it now stands, and what this request did. */
export interface ApproveResult extends Approval {
  outcome: "approved" | "partially_approved" | "unchanged";
}

export interface RejectResult extends Approval {
  outcome: "rejected" | "unchanged";
}

export interface ApprovalService {
  /**
   * Records `approver`'s approval. Refuses (nothing changes) a stale card (`proposal_changed`),
   * the proposer itself (`self_approval`), a decided approval (`approval_not_pending`). Fails
   * closed on an expired approval (`approval_expired`: marked expired, shadow cleared) and on a
   * canonical value that moved since the proposal (`approval_conflict`: marked conflict,
   * nothing overwritten). Once `approvalsNeeded` distinct people approved, ONE apply write is
   * queued in the same transaction as the audit event. Approving twice is `unchanged`.
   * @throws ApprovalError subclasses (404, 403, 409, 503)
   */
  approve(
    tenantId: string,
    id: string,
    approver: Approver,
    body?: { expected?: { value: string | null } | undefined },
  ): Promise<ApproveResult>;
  /** Rejects with a reason: shadow cleared, `ai_sdr_change_reason` = "Rejected by <name>: <reason>". */
  reject(tenantId: string, id: string, approver: Approver, body: { reason: string }): Promise<RejectResult>;
  /**
   * Decides up to 100 approvals; each item stands alone (one failure stops nothing) and the
   * whole batch is ONE `approval_batch` audit event holding the manifest and every result.
   * Items are `DecisionItem`s as received: each is validated on its own, and a malformed one is
   * refused alone. @throws ApprovalError (400) for an empty batch or more than 100 items
   */
  batch(tenantId: string, approver: Approver, items: readonly unknown[]): Promise<ApprovalBatchResult>;
  /**
   * Expires a still-pending approval past its expiry: shadow cleared, audited, never applied.
   * @returns whether it expired now
   */
  expire(tenantId: string, id: string): Promise<boolean>;
  /**
   * The approval queue's `onExpire`: like `expire`, but throws while the approval is pending
   * and not yet due (a timer that fired early), so BullMQ retries it later.
   */
  onExpireJob(job: ApprovalJob): Promise<void>;
  /** The write queue's `onSettled`: approved → applied / conflict / failed, audited once. */
  onWritesSettled(rows: readonly CrmWriteRow[]): Promise<void>;
  /**
   * Settles approvals whose apply write settled while `onWritesSettled` could not run (a crash
   * between the two). Call on start. @returns how many it settled
   */
  reconcile(tenantId?: string): Promise<number>;
  /** Pending and recent approvals of one record, pending first; lapsed ones are expired first. */
  listForRecord(
    tenantId: string,
    objectType: string,
    objectId: string,
    options?: { crm?: string; limit?: number },
  ): Promise<Approval[]>;
  /**
   * The approval inbox across records (docs/contracts.md#http-api `GET /v1/inbox`): pending
   * approvals in one view (`mine`, `team`, `overdue`, `all`) for `approver`, judged by the same
   * approver-group rule as deciding; lapsed ones are expired first.
   */
  inbox(tenantId: string, approver: Approver, query: InboxQuery): Promise<Inbox>;
}

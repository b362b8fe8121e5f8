import { APPROVAL_BATCH_MAX, approvalBatchItemSchema } from "../../../shared/index.js";
import { TollgateError } from "../errors/index.js";
import { APPROVAL_ERROR_CODES, ApprovalError, type ApprovalErrorCode } from "./approval-errors.js";
import { decideApprovals, type DecisionEntry } from "./decide-approvals.js";
import { expireApproval } from "./expire-approval.js";
import { buildInbox } from "./list-inbox.js";
import { toStoredApproval } from "./approval-store.js";
import { loadSql } from "./load-sql.js";
import { reconcileAppliedWrites, settleAppliedWrites } from "./settle-applied-writes.js";
import { toApprovalWire } from "./to-approval-wire.js";
import type {
  ApprovalService,
  ApprovalServiceOptions,
  Approver,
  ApproveResult,
  DecisionItem,
  DecisionResult,
  RejectResult,
} from "./types.js";

/** Thrown by `onExpireJob` while an approval is pending and not yet due, so BullMQ retries. */
class ExpiryNotDueError extends TollgateError {
  constructor(id: string) {
    super("approval_not_due", `approval ${id} is not due to expire yet`, { httpStatus: 409 });
  }
}

/**
 * The approval flow on the server (requirements R4): people approve or reject what agents
 * proposed, bound to the value they saw; the two-person rule counts distinct people; expiry
 * and conflicts fail closed; an approved proposal is applied by ONE write through the CRM
 * write queue, and its final state comes back through `onWritesSettled`.
 *
 * @example
 * const approvals = createApprovalService({ db, audit, store, writes, snapshots, connectorFor });
 * const writes = await createCrmWriteQueue({ …, onSettled: (rows) => approvals.onWritesSettled(rows) });
 * approvalQueue.start({ onExpire: (job) => approvals.onExpireJob(job) });
 * await approvals.approve(tenantId, id, { id: "hubspot:user:42", name: "ada@example.com", via: "hubspot_card" }, {
 * expected: { value: "new@x.com" } });
 */
export function createApprovalService(options: ApprovalServiceOptions): ApprovalService {
  const now = options.now ?? (() => new Date());
  const deps = { ...options, now };
  // Told after each decision or expiry commits (notification tasks close); never fails the answer.
  const decided = (tenantId: string, ids: readonly string[]) => {
    if (!options.onDecided || ids.length === 0) return;
    void Promise.resolve()
      .then(() => options.onDecided!(tenantId, ids))
      .catch(() => undefined);
  };

  async function decideOne(tenantId: string, approver: Approver, item: DecisionItem): Promise<DecisionResult> {
    const [result] = await decideApprovals(deps, tenantId, approver, [{ item }], "single");
    if (!result!.ok) {
      const e = result!.error!;
      throw new ApprovalError(e.code as ApprovalErrorCode, e.message, e.details);
    }
    return result!;
  }

  async function current(tenantId: string, id: string) {
    const a = await options.store.get(tenantId, id);
    if (!a) throw new ApprovalError(APPROVAL_ERROR_CODES.notFound, `no approval ${id}`);
    return toApprovalWire(a);
  }

  const service: ApprovalService = {
    async approve(tenantId, id, approver, body = {}) {
      const r = await decideOne(tenantId, approver, { id, decision: "approve", expected: body.expected });
      decided(tenantId, [id]);
      return { ...(await current(tenantId, id)), outcome: r.outcome as ApproveResult["outcome"] };
    },

    async reject(tenantId, id, approver, body) {
      const r = await decideOne(tenantId, approver, { id, decision: "reject", reason: body.reason });
      decided(tenantId, [id]);
      return { ...(await current(tenantId, id)), outcome: r.outcome as RejectResult["outcome"] };
    },

    async batch(tenantId, approver, rawItems) {
      if (rawItems.length === 0 || rawItems.length > APPROVAL_BATCH_MAX) {
        throw new ApprovalError(
          APPROVAL_ERROR_CODES.invalid,
          `a batch holds 1 to ${APPROVAL_BATCH_MAX} items, not ${rawItems.length}`,
        );
      }
      const seen = new Set<string>();
      const entries: DecisionEntry[] = rawItems.map((raw, index) => {
        const parsed = approvalBatchItemSchema.safeParse(raw);
        const idOf = (raw as { id?: unknown } | null)?.id;
        const id = typeof idOf === "string" && idOf ? idOf : `#${index}`;
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return refused(
            id,
            APPROVAL_ERROR_CODES.invalid,
            `item ${index}: ${issue.path.join(".") || "item"}: ${issue.message}`,
          );
        }
        if (seen.has(parsed.data.id))
          return refused(id, APPROVAL_ERROR_CODES.duplicate, `approval ${id} appears more than once in the batch`);
        seen.add(parsed.data.id);
        return { item: parsed.data };
      });
      const results = await decideApprovals(deps, tenantId, approver, entries, "batch");
      decided(
        tenantId,
        results.filter((r) => r.ok).map((r) => r.id),
      );
      // Each result carries the approval as it now stands, as a single decision's answer does.
      const found = await options.db.query<Record<string, unknown>>(loadSql("select-approvals"), [tenantId, [...seen]]);
      const byId = new Map(found.rows.map((r) => [r.id as string, toStoredApproval(r)]));
      return {
        results: results.map((r) => {
          const a =
            r.error?.code === APPROVAL_ERROR_CODES.notFound || r.error?.code === APPROVAL_ERROR_CODES.duplicate
              ? undefined
              : byId.get(r.id);
          return a && (approver.objectId === undefined || approver.objectId === a.objectId)
            ? { ...r, approval: toApprovalWire(a) }
            : r;
        }),
      };
    },

    async expire(tenantId, id) {
      const expired = (await expireApproval(deps, tenantId, id)) === "expired";
      if (expired) decided(tenantId, [id]);
      return expired;
    },

    async onExpireJob(job) {
      const outcome = await expireApproval(deps, job.tenantId, job.approvalId);
      if (outcome === "not_due") throw new ExpiryNotDueError(job.approvalId);
      decided(job.tenantId, [job.approvalId]);
    },

    async onWritesSettled(rows) {
      await settleAppliedWrites(deps, rows);
    },

    reconcile(tenantId) {
      return reconcileAppliedWrites(deps, tenantId);
    },

    async listForRecord(tenantId, objectType, objectId, listOptions = {}) {
      // Fail closed even when an expiry timer is late: a lapsed approval is expired before anyone sees it as pending.
      const { rows } = await options.db.query<{ id: string }>(loadSql("select-due-for-record"), [
        tenantId,
        objectType,
        objectId,
        now().toISOString(),
      ]);
      for (const r of rows) await service.expire(tenantId, r.id);
      const list = await options.store.listForRecord(tenantId, objectType, objectId, listOptions.limit ?? 50);
      return list.filter((a) => !listOptions.crm || a.crm === listOptions.crm).map(toApprovalWire);
    },

    async inbox(tenantId, approver, query) {
      // Fail closed here too: a lapsed approval is expired before anyone sees it as pending.
      const pending = await options.store.listPending(tenantId);
      const at = now();
      for (const a of pending) if (Date.parse(a.expiresAt) <= at.getTime()) await service.expire(tenantId, a.id);
      return buildInbox(pending, approver, query, options.whyNotAllowed, at);
    },
  };
  return service;
}

function refused(id: string, code: ApprovalErrorCode, message: string): DecisionEntry {
  return { refused: { id, ok: false, status: null, error: { code, message } } };
}

import type { CrmConnector, CrmUser, PropertyLookup } from "../crm/index.js";
import type { Sql } from "../db/index.js";
import type { ApprovalJob } from "./approval-queue.js";
import type { ApprovalStore, StoredApproval } from "./approval-store.js";
import { describeApprovalTask } from "./describe-approval-task.js";
import { loadSql } from "./load-sql.js";
import type { Approver } from "./types.js";

/** At most this many approvers get a task for one approval (a group naming a whole portal notifies its first 20). */
export const MAX_TASKS_PER_APPROVAL = 20;

export interface ApprovalNotifierOptions {
  db: Sql;
  store: ApprovalStore;
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /**
   * Why a person may not decide an approval (the service's own check: approver groups), or
   * `undefined`; asked for each CRM user as a card user, so they are exactly the card's approvers.
   */
  whyNotAllowed: (approval: StoredApproval, approver: Approver) => string | undefined;
  /** The CRM's property definitions, so a task names the field by its label; without it, the internal name. */
  properties?: Pick<PropertyLookup, "definitions"> | undefined;
}

const asCardUser = (user: CrmUser): Approver => ({
  id: `${user.crm}:user:${user.id}`,
  name: user.email ?? user.id,
  email: user.email,
  via: `${user.crm}_card`,
  crmUser: user,
});

export interface ApprovalNotifier {
  /**
   * The approval queue's `onNotify`: one CRM task per member of the approval's approver group
   * (assigned to them, linked to the record, due when the approval expires). Each task is
   * reserved in `approval_tasks` first, so a retried job creates none twice. An approval that is
   * no longer pending gets none, and its open tasks are closed. A CRM without tasks (or users)
   * is skipped. @returns how many tasks it created
   */
  onNotifyJob(job: ApprovalJob): Promise<number>;
  /**
   * Completes the open tasks of approvals that are no longer pending — all of a tenant's, or those
   * of `ids`. Call after decisions and expiries, and now and then for superseded ones.
   * @returns how many it closed
   */
  closeSettled(tenantId?: string, ids?: readonly string[]): Promise<number>;
}

/**
 * Approval notifications (docs/operations.md, approvals): a pending approval becomes a task in
 * the CRM for each of its approvers, and the task completes itself once the approval is decided
 * or expires.
 *
 * @example
 * const notifier = createApprovalNotifier({ db, store, connectorFor, whyNotAllowed });
 * approvalQueue.start({ onExpire, onNotify: async (job) => void (await notifier.onNotifyJob(job)) });
 */
export function createApprovalNotifier(options: ApprovalNotifierOptions): ApprovalNotifier {
  const { db } = options;

  async function closeSettled(tenantId?: string, ids?: readonly string[]): Promise<number> {
    const { rows } = await db.query<{
      tenant_id: string;
      approval_id: string;
      user_id: string;
      task_id: string | null;
    }>(loadSql("select-open-tasks"), [tenantId ?? null, ids ? [...ids] : null]);
    let closed = 0;
    for (const row of rows) {
      const connector = await options.connectorFor(row.tenant_id);
      if (row.task_id && connector.completeTask) await connector.completeTask(row.task_id);
      await db.query(
        "UPDATE approval_tasks SET closed_at = now() WHERE tenant_id = $1 AND approval_id = $2 AND user_id = $3",
        [row.tenant_id, row.approval_id, row.user_id],
      );
      closed += 1;
    }
    return closed;
  }

  // The portal's label of the approval's field (`Job title`); a CRM that cannot say leaves the name.
  async function labelOf(approval: StoredApproval): Promise<string | undefined> {
    if ((approval.action ?? "field_write") !== "field_write" || !options.properties) return undefined;
    const known = await options.properties.definitions(approval.tenantId, approval.objectType).catch(() => undefined);
    return known?.get(approval.field)?.label || undefined;
  }

  return {
    async onNotifyJob(job) {
      const approval = await options.store.get(job.tenantId, job.approvalId);
      if (!approval) return 0;
      if (approval.status !== "pending") {
        await closeSettled(job.tenantId, [approval.id]);
        return 0;
      }
      const connector = await options.connectorFor(job.tenantId);
      if (!connector.createTask || !connector.listUsers) return 0;
      const approvers = (await connector.listUsers())
        .filter((u) => options.whyNotAllowed(approval, asCardUser(u)) === undefined)
        .slice(0, MAX_TASKS_PER_APPROVAL);
      const { subject, body } = describeApprovalTask(approval, await labelOf(approval));
      let created = 0;
      for (const user of approvers) {
        const reserved = await db.query(loadSql("reserve-approval-task"), [job.tenantId, approval.id, user.id]);
        if (reserved.rows.length === 0) continue;
        const taskId = await connector.createTask({
          objectType: approval.objectType,
          objectId: approval.objectId,
          userId: user.id,
          subject,
          body,
          dueAt: approval.expiresAt,
        });
        await db.query(
          "UPDATE approval_tasks SET task_id = $4 WHERE tenant_id = $1 AND approval_id = $2 AND user_id = $3",
          [job.tenantId, approval.id, user.id, taskId],
        );
        created += 1;
      }
      // Decided while the tasks were being made: close them now rather than at the next sweep.
      const after = await options.store.get(job.tenantId, approval.id);
      if (after && after.status !== "pending") await closeSettled(job.tenantId, [approval.id]);
      return created;
    },
    closeSettled,
  };
}

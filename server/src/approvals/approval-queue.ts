import { Queue, Worker, type ConnectionOptions } from "bullmq";
import type { ApprovalStore, StoredApproval } from "./approval-store.js";

export interface ApprovalJob {
  tenantId: string;
  approvalId: string;
  kind: "expire" | "notify";
}

export interface ApprovalQueue {
  /** Schedules expiry (and a notification) for freshly created approvals. */
  schedule(tenantId: string, ids: readonly string[]): Promise<void>;
  /** Re-creates the jobs of every pending approval from PostgreSQL (after losing Redis). @returns how many */
  rebuild(): Promise<number>;
  /** Starts processing: `onExpire` must fail closed (never apply, clear the shadow). */
  start(handlers: { onExpire(job: ApprovalJob): Promise<void>; onNotify?(job: ApprovalJob): Promise<void> }): void;
  close(): Promise<void>;
}

/**
 * Approvals live in PostgreSQL; Redis only carries their timers (docs/architecture.md#storage-and-services). A job id
 * names its
 * tenant and approval, so scheduling twice — or rebuilding after a restart — adds nothing.
 */
export function createApprovalQueue(options: {
  connection: ConnectionOptions;
  prefix: string;
  store: ApprovalStore;
  now?: () => Date;
  /** Retries of one expiry job before it fails and the next sweep re-adds it (default 10, from 1 s doubling). */
  expireRetry?: { attempts: number; backoffMs: number };
}): ApprovalQueue {
  const queue = new Queue<ApprovalJob>("approvals", { connection: options.connection, prefix: options.prefix });
  const now = options.now ?? (() => new Date());
  let worker: Worker<ApprovalJob> | undefined;
  const expireRetry = options.expireRetry ?? { attempts: 10, backoffMs: 1000 };

  async function add(approvals: readonly StoredApproval[]) {
    await queue.addBulk(
      approvals.flatMap((a) => [
        {
          name: "expire",
          data: { tenantId: a.tenantId, approvalId: a.id, kind: "expire" as const },
          opts: {
            jobId: `expire.${a.tenantId}.${a.id}`,
            delay: Math.max(0, new Date(a.expiresAt).getTime() - now().getTime()),
            attempts: expireRetry.attempts,
            backoff: { type: "exponential", delay: expireRetry.backoffMs },
            removeOnComplete: 1000,
            // A failed expiry (e.g. PostgreSQL down through every retry) must not keep its job id:
            // a kept id makes the sweep's rebuild a no-op and the approval stays pending past expiry.
            removeOnFail: true,
          },
        },
        {
          name: "notify",
          data: { tenantId: a.tenantId, approvalId: a.id, kind: "notify" as const },
          opts: { jobId: `notify.${a.tenantId}.${a.id}`, attempts: 3, removeOnComplete: 1000, removeOnFail: 1000 },
        },
      ]),
    );
  }

  return {
    async schedule(tenantId, ids) {
      const found = (await Promise.all(ids.map((id) => options.store.get(tenantId, id)))).filter(
        (a): a is StoredApproval => a?.status === "pending",
      );
      await add(found);
    },
    async rebuild() {
      const pending = await options.store.listPending();
      await add(pending);
      return pending.length;
    },
    start(handlers) {
      worker = new Worker<ApprovalJob>(
        "approvals",
        async (job) => {
          if (job.data.kind === "expire") await handlers.onExpire(job.data);
          else await handlers.onNotify?.(job.data);
        },
        { connection: options.connection, prefix: options.prefix, concurrency: 4 },
      );
      worker.on("error", () => undefined);
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}

import type { Logger } from "pino";
import type { ApprovalQueue } from "./approval-queue.js";
import type { ApprovalNotifier } from "./create-approval-notifier.js";
import type { ApprovalService } from "./types.js";

export interface ApprovalTimers {
  start(): Promise<void>;
  /** Stops the periodic rebuild (first thing at shutdown); the queue stays open for `close`. */
  stopSweeping(): void;
  close(): Promise<void>;
}

/**
 * The approval timers at work: rebuilt from PostgreSQL at start and every sweep (job ids make it
 * a no-op when present), expiry failing closed, and what a crash left between a write and its
 * callback settled.
 */
export function createApprovalTimers(options: {
  queue: ApprovalQueue;
  service: Pick<ApprovalService, "onExpireJob" | "reconcile">;
  sweepIntervalMs: number;
  logger: Pick<Logger, "warn">;
  /** Handles the `notify` jobs (CRM tasks for the approvers); each sweep closes tasks of superseded approvals. */
  notifier?: Pick<ApprovalNotifier, "onNotifyJob" | "closeSettled"> | undefined;
}): ApprovalTimers {
  const { queue, service, logger, notifier } = options;
  let sweep: NodeJS.Timeout | undefined;
  return {
    async start() {
      await queue.rebuild();
      queue.start({
        onExpire: (job) => service.onExpireJob(job),
        ...(notifier ? { onNotify: async (job) => void (await notifier.onNotifyJob(job)) } : {}),
      });
      await service.reconcile();
      sweep = setInterval(() => {
        queue
          .rebuild()
          .then(() => notifier?.closeSettled())
          .catch((err: unknown) => logger.warn({ err: (err as Error).message }, "approval timer sweep failed"));
      }, options.sweepIntervalMs);
      sweep.unref();
    },
    stopSweeping() {
      if (sweep) clearInterval(sweep);
    },
    async close() {
      if (sweep) clearInterval(sweep);
      await queue.close();
    },
  };
}

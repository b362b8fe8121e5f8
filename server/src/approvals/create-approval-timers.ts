import type { Logger } from "pino";
import type { ApprovalQueue } from "./approval-queue.js";
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
}): ApprovalTimers {
  const { queue, service, logger } = options;
  let sweep: NodeJS.Timeout | undefined;
  return {
    async start() {
      await queue.rebuild();
      queue.start({ onExpire: (job) => service.onExpireJob(job) });
      await service.reconcile();
      sweep = setInterval(() => {
        queue
          .rebuild()
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

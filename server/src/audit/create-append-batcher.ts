import type { AuditEvent } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { appendPrepared } from "./append-prepared.js";
import type { PreparedEvent } from "./prepare-event.js";

interface Waiting {
  prepared: PreparedEvent;
  resolve: (event: AuditEvent) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for one tenant's appends. A tenant's appends are serialised by its head lock
 * anyway, and each holds that lock through its commit's disk flush, so N writers waiting on
 * one tenant would pay N flushes one after another. Instead, appends arriving while one is in
 * flight wait in memory and go together in the next single statement: one lock, one flush.
 * An append that finds nothing in flight goes at once, so a lone writer waits for nothing.
 *
 * Each caller's promise still settles only once its own event is committed. If a batch fails,
 * its events are retried one by one, so one bad event never fails another caller's append.
 */
export function createAppendBatcher(sql: Sql, maxBatch: number): (prepared: PreparedEvent) => Promise<AuditEvent> {
  const queues = new Map<string, Waiting[]>();

  async function drain(tenantId: string, queue: Waiting[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          const events = await appendPrepared(
            sql,
            batch.map((w) => w.prepared),
          );
          batch.forEach((w, i) => w.resolve(events[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const w of batch) await appendPrepared(sql, [w.prepared]).then(([e]) => w.resolve(e!), w.reject);
        }
        // Under contention, let the writers just released queue their next events before
        // deciding the queue is empty; otherwise batches alternate between 1 and N-1.
        if (batch.length > 1) await new Promise((r) => setImmediate(r));
      }
    } finally {
      queues.delete(tenantId);
    }
  }

  return (prepared) =>
    new Promise<AuditEvent>((resolve, reject) => {
      const queue = queues.get(prepared.tenantId);
      const waiting = { prepared, resolve, reject };
      if (queue) {
        queue.push(waiting);
        return;
      }
      const fresh = [waiting];
      queues.set(prepared.tenantId, fresh);
      void drain(prepared.tenantId, fresh);
    });
}

import type { AuditActor } from "../../../shared/index.js";
import type { RollbackConflict, RollbackJob } from "./types.js";

/** A `rollback_jobs` row (with its skipped items) as the API shows it. */
export function toRollbackJob(r: Record<string, unknown>): RollbackJob {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return {
    jobId: r.id as string,
    tenantId: r.tenant_id as string,
    state: r.state as RollbackJob["state"],
    done: Number(r.done),
    total: Number(r.total),
    written: Number(r.done) - Number(r.failed) - Number(r.skipped),
    failed: Number(r.failed),
    conflicts: [...((r.conflicts as RollbackConflict[]) ?? []), ...((r.skipped_items as RollbackConflict[]) ?? [])],
    requestedBy: r.requested_by as AuditActor,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
  };
}

import { randomUUID } from "node:crypto";
import { summarizeDiff, type AuditActor, type AuditEventInput } from "../../../shared/index.js";
import type { Database } from "../db/index.js";
import { ConflictError } from "../errors/index.js";
import { loadSql } from "./load-sql.js";
import type { RestorePlan } from "./plan-restores.js";
import type { RollbackRequest } from "./rollback-request.js";
import type { RollbackAuditPort, RollbackWritesPort } from "./types.js";

/**
 * Records a rollback in ONE transaction (docs/contracts.md#rules-that-never-bend: intent before execution): the job, a
 * `rollback_job` audit event naming the request and its conflicts, one `rollback` event per
 * restored value (caused_by the change it undoes, run_id the job), the CRM writes — protective
 * (no agent), so a kill switch never holds them — and the items linking them.
 * @returns the job id
 */
export async function commitRollback(
  deps: { db: Database; audit: RollbackAuditPort; writes: RollbackWritesPort; now: () => Date },
  tenantId: string,
  request: RollbackRequest,
  requestedBy: AuditActor,
  plan: RestorePlan,
): Promise<string> {
  const jobId = randomUUID();
  const at = deps.now();
  const planned = plan.planned;
  await deps.db.transaction(async (tx) => {
    // One rollback of a tenant commits at a time, so two cannot both undo the same change.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`tollgate:rollback:${tenantId}`]);
    const undone = planned.flatMap((p) => p.undoes);
    if (undone.length > 0) {
      const { rows } = await tx.query<{ event_id: string }>(loadSql("select-live-events"), [tenantId, undone]);
      if (rows.length > 0)
        throw new ConflictError("another rollback is already undoing some of these changes; plan again", {
          eventIds: rows.map((r) => r.event_id),
        });
    }
    await tx.query(loadSql("insert-job"), [
      jobId,
      tenantId,
      JSON.stringify(requestedBy),
      JSON.stringify(request),
      planned.length,
      JSON.stringify(plan.conflicts),
      at.toISOString(),
      planned.length === 0 ? "done" : "queued",
    ]);
    const jobEvent: AuditEventInput = {
      tenant_id: tenantId,
      actor: requestedBy,
      action: "rollback_job",
      reason: `rollback of ${planned.length} value(s); ${plan.conflicts.length} conflict(s)${request.force ? ", forced" : ""}`,
      evidence: { jobId, request, conflicts: plan.conflicts, unrestorable: plan.unrestorable },
      risk_flags: request.force && plan.conflicts.length > 0 ? ["forced_over_conflict"] : [],
      run_id: jobId,
    };
    const itemEvents: AuditEventInput[] = planned.map((p) => ({
      tenant_id: tenantId,
      actor: requestedBy,
      action: "rollback",
      crm: p.crm,
      object_type: p.objectType,
      object_id: p.objectId,
      field_diffs: [{ field: p.field, before: p.expected, after: p.restoreTo }],
      diff_summary: summarizeDiff(p.field, p.expected, p.restoreTo),
      reason: `rollback job ${jobId}: undo ${p.undoes.length} agent change(s)`,
      evidence: { jobId, undoes: p.undoes },
      risk_flags: p.forced ? ["forced_over_conflict"] : [],
      run_id: jobId,
      caused_by: p.eventId,
    }));
    const events = await deps.audit.appendMany([jobEvent, ...itemEvents], { tx });
    const intentIds = events.slice(1).map((e) => e.event_id);
    if (planned.length === 0) return;
    const writeIds = await deps.writes.enqueue(
      planned.map((p, i) => ({
        tenantId,
        crm: p.crm,
        objectType: p.objectType,
        objectId: p.objectId,
        properties: { [p.field]: p.restoreTo ?? "" },
        purpose: "rollback" as const,
        agentId: null,
        causedBy: intentIds[i]!,
        // The write guard refuses to overwrite a person who changes the field before it is sent;
        // a forced restore carries no expectation.
        expected: p.forced ? null : { [p.field]: p.expected },
      })),
      { tx },
    );
    await tx.query(loadSql("insert-items"), [
      jobId,
      tenantId,
      planned.map((p) => p.crm),
      planned.map((p) => p.objectType),
      planned.map((p) => p.objectId),
      planned.map((p) => p.field),
      planned.map((p) => JSON.stringify(p.undoes)),
      planned.map((p) => p.restoreTo),
      planned.map((p) => (p.forced ? null : p.expected)),
      planned.map((p) => p.forced === true),
      intentIds,
      writeIds,
    ]);
  });
  if (planned.length > 0) await deps.writes.kick([tenantId]);
  return jobId;
}

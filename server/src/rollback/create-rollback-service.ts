import type { AuditActor } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";
import { commitRollback } from "./commit-rollback.js";
import { findPriorValues } from "./find-prior-values.js";
import { groupChanges } from "./group-changes.js";
import { loadSql } from "./load-sql.js";
import { planRestores } from "./plan-restores.js";
import { refreshJobs } from "./refresh-jobs.js";
import { rollbackRequestSchema, type RollbackRequestInput } from "./rollback-request.js";
import { selectAgentChanges } from "./select-agent-changes.js";
import { toRollbackJob } from "./to-rollback-job.js";
import type { RollbackService, RollbackServiceOptions } from "./types.js";

/**
 * Rollback (requirements R6, docs/contracts.md#http-api): undo what agents changed in the CRM — by event ids, by
 * run, by agent and time range, or the last N changes — through the same rate-limited write
 * queue as every other Tollgate write, never over a person's later edit unless an owner forces it.
 *
 * @example
 * const rollback = createRollbackService({ db, audit, writes, snapshots });
 * const plan = await rollback.plan("62515", { agentId: "enrichment-bot", from: "2026-03-02T00:00:00Z" }, actor);
 * const job = await rollback.getJob("62515", plan.jobId!);
 */
export function createRollbackService(options: RollbackServiceOptions): RollbackService {
  const { db, snapshots } = options;
  const now = options.now ?? (() => new Date());

  return {
    async plan(tenantId: string, input: RollbackRequestInput, requestedBy: AuditActor) {
      const parsed = rollbackRequestSchema.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new ValidationError(
          `invalid rollback request: ${issues[0]!.path ? `${issues[0]!.path}: ` : ""}${issues[0]!.message}`,
          { issues },
        );
      }
      const request = parsed.data;
      const groups = groupChanges(await selectAgentChanges(db, tenantId, request));
      const priors = await findPriorValues(snapshots, options.readHistory, tenantId, groups);
      const latest = await snapshots.latestValues(
        tenantId,
        groups.map((g) => ({ objectType: g.latest.objectType, objectId: g.latest.objectId, property: g.latest.field })),
      );
      const plan = planRestores(groups, priors, latest, request.force);
      const planned = plan.planned.map(({ crm: _crm, expected: _expected, ...p }) => p);
      if (request.dryRun)
        return { jobId: null, dryRun: true, planned, conflicts: plan.conflicts, unrestorable: plan.unrestorable };
      const jobId = await commitRollback(
        { db, audit: options.audit, writes: options.writes, now },
        tenantId,
        request,
        requestedBy,
        plan,
      );
      return { jobId, dryRun: false, planned, conflicts: plan.conflicts, unrestorable: plan.unrestorable };
    },

    async getJob(tenantId, jobId) {
      const read = async () =>
        (await db.query<Record<string, unknown>>(loadSql("select-job"), [tenantId, jobId])).rows[0];
      let row = await read();
      if (!row) return undefined;
      if (row.state === "queued" || row.state === "running") {
        await refreshJobs(db, [jobId], now());
        row = (await read())!;
      }
      return toRollbackJob(row);
    },

    async onWritesSettled(rows) {
      const ids = rows.filter((r) => r.purpose === "rollback").map((r) => r.id);
      if (ids.length === 0) return;
      const { rows: jobs } = await db.query<{ job_id: string }>(loadSql("select-jobs-of-writes"), [ids]);
      await refreshJobs(
        db,
        jobs.map((j) => j.job_id),
        now(),
      );
    },
  };
}

import type { Database, Sql } from "../db/index.js";
import type { RetentionResult } from "./apply-retention.js";
import { runEvery } from "./run-every.js";
import type { AuditLog } from "./types.js";

export interface RetentionScheduleOptions {
  audit: Pick<AuditLog, "applyRetention">;
  db: Sql;
  /** Where archives are written (the checkpoint directory). */
  dir: string;
  /** The tenant's `audit.retention_days` from its policy; undefined keeps everything. */
  retentionDaysOf: (tenantId: string) => number | undefined;
  /**
   * Opens the connection that removes archived events: the schema owner
   * (`DATABASE_MIGRATION_URL`) when the runtime has its own role. Default: the audit's database.
   */
  openOwner?: (() => Promise<Database>) | undefined;
  /** How far the SIEM stream has delivered a tenant's chain; retention never removes beyond it. */
  deliveredThrough?: ((tenantId: string) => Promise<number>) | undefined;
  now?: () => Date;
  /** @defaultValue 3_600_000 (hourly) */
  intervalMs?: number;
  logger?: { warn(obj: object, msg: string): void } | undefined;
}

const DAY_MS = 86_400_000;

/**
 * Audit retention on a schedule and on demand (`tollgate audit retention`): for every tenant
 * whose policy sets `audit.retention_days`, the events older than that are archived to a
 * signed JSONL file and removed behind a signed tombstone (apply-retention.ts). A failure is
 * logged and retried next round; nothing is removed that was not archived first.
 */
export function createRetentionSchedule(options: RetentionScheduleOptions) {
  const now = options.now ?? (() => new Date());

  async function runOnce(only?: { tenantId?: string; days?: number; dryRun?: boolean }): Promise<RetentionResult[]> {
    const { rows } = await options.db.query<{ tenant_id: string }>(
      "SELECT tenant_id FROM audit_heads ORDER BY tenant_id",
    );
    const due = rows
      .map((r) => ({ tenantId: r.tenant_id, days: only?.days ?? options.retentionDaysOf(r.tenant_id) }))
      .filter((t): t is { tenantId: string; days: number } => t.days !== undefined)
      .filter((t) => only?.tenantId === undefined || t.tenantId === only.tenantId);
    if (due.length === 0) return [];
    const owner = options.openOwner ? await options.openOwner() : undefined;
    const done: RetentionResult[] = [];
    try {
      for (const { tenantId, days } of due) {
        try {
          const delivered = options.deliveredThrough ? await options.deliveredThrough(tenantId) : undefined;
          const req = {
            tenantId,
            before: new Date(now().getTime() - days * DAY_MS),
            dir: options.dir,
            retentionDays: days,
            ...(delivered !== undefined ? { maxThroughSeq: delivered } : {}),
            ...(only?.dryRun ? { dryRun: true } : {}),
          };
          done.push(await options.audit.applyRetention(req, owner));
        } catch (err) {
          const error = (err as Error).message;
          options.logger?.warn({ err: error, tenantId }, "audit retention failed");
          done.push({ tenantId, tombstone: null, removed: 0, archivePath: null, error });
        }
      }
    } finally {
      await owner?.close();
    }
    return done;
  }

  return { runOnce, ...runEvery(options.intervalMs ?? 3_600_000, () => runOnce()) };
}

export type RetentionSchedule = ReturnType<typeof createRetentionSchedule>;

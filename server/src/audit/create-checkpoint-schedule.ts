import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "../db/index.js";
import { runEvery } from "./run-every.js";
import type { AuditCheckpoint, AuditLog } from "./types.js";
import { isSafeFolderName, tenantFolder } from "./write-archive.js";

export interface CheckpointScheduleOptions {
  audit: Pick<AuditLog, "checkpoint" | "publicKeyPem" | "keyId">;
  db: Sql;
  /** Where each checkpoint is also written as a signed file, for the operator to ship elsewhere. */
  dir?: string | undefined;
  /** @defaultValue 3_600_000 (hourly) */
  intervalMs?: number;
  logger?: { warn(obj: object, msg: string): void } | undefined;
}

export interface CheckpointSchedule {
  /** Checkpoints every tenant whose chain moved since its last checkpoint; returns them. */
  runOnce(): Promise<AuditCheckpoint[]>;
  start(): void;
  stop(): void;
}

// Tenants whose head moved past their last checkpoint and the event recording it (seq + 1).
const DUE_SQL = `SELECT h.tenant_id FROM audit_heads h
  WHERE h.seq > coalesce((SELECT max(c.seq) + 1 FROM audit_checkpoints c WHERE c.tenant_id = h.tenant_id), 0)
  ORDER BY h.tenant_id`;

/**
 * Signed checkpoints on a schedule (docs/operations.md, security): each is stored, recorded in
 * the chain itself (so deleting the row is noticed by `verify`) and written as a JSON file
 * `<dir>/<tenant>/<seq>.json` holding the checkpoint and the public key — what an outside
 * auditor needs with an export (`verifyExport`). A failure is logged and retried next round.
 */
export function createCheckpointSchedule(options: CheckpointScheduleOptions): CheckpointSchedule {
  async function writeFileFor(cp: AuditCheckpoint): Promise<void> {
    // A tenant id unfit for a path gets no file; its checkpoint is still stored and recorded.
    if (!options.dir || !isSafeFolderName(cp.tenant_id)) return;
    const folder = tenantFolder(options.dir, cp.tenant_id);
    await mkdir(folder, { recursive: true });
    const body = { checkpoint: cp, keyId: options.audit.keyId, publicKeyPem: options.audit.publicKeyPem };
    await writeFile(join(folder, `${String(cp.seq).padStart(12, "0")}.json`), `${JSON.stringify(body, null, 2)}\n`);
  }

  async function runOnce(): Promise<AuditCheckpoint[]> {
    const { rows } = await options.db.query<{ tenant_id: string }>(DUE_SQL);
    const made: AuditCheckpoint[] = [];
    for (const { tenant_id: tenantId } of rows) {
      try {
        const cp = await options.audit.checkpoint(tenantId, { record: true });
        await writeFileFor(cp);
        made.push(cp);
      } catch (err) {
        options.logger?.warn({ err: (err as Error).message, tenantId }, "audit checkpoint failed");
      }
    }
    return made;
  }

  return { runOnce, ...runEvery(options.intervalMs ?? 3_600_000, runOnce) };
}

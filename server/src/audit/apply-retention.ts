import { writeFile } from "node:fs/promises";
import type { Database, Sql } from "../db/index.js";
import { appendPrepared } from "./append-prepared.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import { newEventId } from "./new-event-id.js";
import { prepareEvent } from "./prepare-event.js";
import { signTombstone, tombstoneEvent, type AuditTombstone } from "./tombstone.js";
import { writeArchive } from "./write-archive.js";

export interface RetentionRequest {
  tenantId: string;
  /** Events recorded before this are archived and removed. */
  before: Date;
  /** Where archives are written (under `<dir>/<tenant>/`). */
  dir: string;
  /** Named in the tombstone's reason. */
  retentionDays: number | null;
  /** Never past this seq (the SIEM stream's cursor: nothing leaves the database unsent). */
  maxThroughSeq?: number;
  /** At most this many events in one run. @defaultValue 100_000 */
  maxEvents?: number;
  dryRun?: boolean;
}

export interface RetentionResult {
  tenantId: string;
  /** null: nothing was old enough (or, dry run, what would be archived is in `wouldArchive`). */
  tombstone: AuditTombstone | null;
  removed: number;
  archivePath: string | null;
  wouldArchive?: { fromSeq: number; throughSeq: number };
  /** Why this tenant's run failed (nothing was removed); retried next round. */
  error?: string;
}

export interface RetentionDeps {
  db: Sql;
  /**
   * Runs the removal: the schema owner (`DATABASE_MIGRATION_URL`) when the runtime has its own
   * narrower role, which may not remove audit rows at all; otherwise the one database.
   */
  owner: Database;
  key: CheckpointKey;
  now: () => Date;
  pageSize: number;
}

const BOUNDS_SQL = `SELECT min(seq) AS first, max(seq) FILTER (WHERE recorded_at < $2) AS last_old
  FROM audit_events WHERE tenant_id = $1`;

/**
 * Retention for one tenant (docs/operations.md, security): the events recorded before `before`
 * (a prefix of the chain) are written to a signed JSONL archive, then — in one transaction —
 * a signed tombstone naming them is appended and they are removed. `verify` then starts the
 * chain at the tombstone's last hash, and an auditor checks the archive with the public key
 * (`verifyArchive`).
 */
export async function applyRetention(deps: RetentionDeps, req: RetentionRequest): Promise<RetentionResult> {
  const none: RetentionResult = { tenantId: req.tenantId, tombstone: null, removed: 0, archivePath: null };
  const bounds = (
    await deps.db.query<{ first: string | null; last_old: string | null }>(BOUNDS_SQL, [req.tenantId, req.before])
  ).rows[0];
  if (!bounds?.first || !bounds.last_old) return none;
  const fromSeq = Number(bounds.first);
  const throughSeq = Math.min(
    Number(bounds.last_old),
    req.maxThroughSeq ?? Number.MAX_SAFE_INTEGER,
    fromSeq + (req.maxEvents ?? 100_000) - 1,
  );
  if (throughSeq < fromSeq) return none;
  if (req.dryRun) return { ...none, wouldArchive: { fromSeq, throughSeq } };

  const first = await deps.db.query<{ prev_hash: string }>(
    "SELECT prev_hash FROM audit_events WHERE tenant_id = $1 AND seq = $2",
    [req.tenantId, fromSeq],
  );
  const prevHash = first.rows[0]!.prev_hash;
  const archive = await writeArchive(
    deps.db,
    req.dir,
    { tenantId: req.tenantId, fromSeq, throughSeq, prevHash },
    deps.pageSize,
  );
  const at = deps.now();
  const tombstone = signTombstone(
    {
      tenant_id: req.tenantId,
      from_seq: fromSeq,
      through_seq: throughSeq,
      prev_hash: prevHash,
      through_hash: archive.lastHash,
      events: archive.events,
      archive: archive.name,
      archive_sha256: archive.sha256,
      at: at.toISOString(),
    },
    deps.key,
  );
  // The signed manifest beside the archive: what an auditor needs with only the public key.
  const manifest = { tombstone, publicKeyPem: deps.key.publicKeyPem };
  await writeFile(archive.path.replace(/\.jsonl$/, ".json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const removed = await deps.owner.transaction(async (tx) => {
    const event = prepareEvent(tombstoneEvent(tombstone, req.retentionDays), { now: at, newId: newEventId });
    await appendPrepared(tx, [event]);
    const r = await tx.query<{ n: string }>("SELECT audit_retention_remove($1, $2, $3) AS n", [
      req.tenantId,
      throughSeq,
      archive.lastHash,
    ]);
    return Number(r.rows[0]!.n);
  });
  return { tenantId: req.tenantId, tombstone, removed, archivePath: archive.path };
}

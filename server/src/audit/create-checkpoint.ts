import type { Sql } from "../db/index.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import { GENESIS_HASH } from "./compute-event-hash.js";
import { signCheckpoint } from "./sign-checkpoint.js";
import type { AuditCheckpoint } from "./types.js";

const CHECKPOINT_COLUMNS = "tenant_id, seq, hash, at, key_id, signature";

/**
 * Signs the tenant's current head and stores the checkpoint. The head row changes only in the
 * statement that appends, so one read of it is always a head that really existed.
 */
export async function createCheckpoint(
  sql: Sql,
  tenantId: string,
  key: CheckpointKey,
  now: Date,
): Promise<AuditCheckpoint> {
  const head = (
    await sql.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", [
      tenantId,
    ])
  ).rows[0];
  const checkpoint = signCheckpoint(
    { tenant_id: tenantId, seq: head ? Number(head.seq) : 0, hash: head?.hash ?? GENESIS_HASH, at: now.toISOString() },
    key,
  );
  await sql.query(`INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
    checkpoint.tenant_id,
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
    checkpoint.key_id,
    checkpoint.signature,
  ]);
  return checkpoint;
}

/** The tenant's most recent stored checkpoint, or null. */
export async function latestCheckpoint(sql: Sql, tenantId: string): Promise<AuditCheckpoint | null> {
  const { rows } = await sql.query<AuditCheckpoint & { seq: string | number }>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1`,
    [tenantId],
  );
  const row = rows[0];
  return row ? { ...row, seq: Number(row.seq) } : null;
}

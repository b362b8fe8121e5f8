import type { Database } from "../db/index.js";

export interface SensitivePurge {
  /**
   * Replaces the clear sensitive values of every settled write and decided approval of these
   * tenants (all tenants: `undefined`) by their hashes. Idempotent; rows still in use are left.
   * @returns how many rows were purged
   */
  purge(tenantIds?: readonly string[]): Promise<number>;
}

export interface SensitivePurgeOptions {
  db: Database;
  /** The audit's one hashing rule for sensitive values (`AuditLog.hashSensitive`). */
  hash: (value: unknown) => string;
  /** Rows per statement. @defaultValue 500 */
  batchSize?: number;
}

type Json = Record<string, unknown>;

// A write is settled once it has its result event (done, failed for good, skipped as a conflict) or
// a kill switch cancelled it: nothing sends it again. An approval past pending/approved is decided and its apply settled.
const SETTLED_WRITES = `
SELECT id, properties, expected, sensitive_fields FROM crm_writes
 WHERE sensitive_fields <> '[]'::jsonb AND sensitive_purged_at IS NULL
   AND (result_event_id IS NOT NULL OR status = 'cancelled')
   AND ($1::text[] IS NULL OR tenant_id = ANY($1::text[]))
 LIMIT $2 FOR UPDATE SKIP LOCKED`;
const PURGE_WRITES = `
UPDATE crm_writes AS w
   SET properties = u.properties::jsonb, expected = u.expected::jsonb, sensitive_purged_at = now()
  FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, properties, expected)
 WHERE w.id = u.id`;
const DECIDED_APPROVALS = `
SELECT id, current_value, proposed_value FROM approvals
 WHERE sensitive AND sensitive_purged_at IS NULL AND status NOT IN ('pending', 'approved')
   AND ($1::text[] IS NULL OR tenant_id = ANY($1::text[]))
 LIMIT $2 FOR UPDATE SKIP LOCKED`;
const PURGE_APPROVALS = `
UPDATE approvals AS a SET current_value = u.current_value, proposed_value = u.proposed_value, sensitive_purged_at = now()
  FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, current_value, proposed_value)
 WHERE a.id = u.id`;

/**
 * Purges clear sensitive values from the working tables (docs/operations.md, security): a write
 * or approval needs the value only until it settles — afterwards its row keeps the hash the
 * audit keeps, so someone reading the database later reads no value the CRM marks sensitive.
 */
export function createSensitivePurge(options: SensitivePurgeOptions): SensitivePurge {
  const { db, hash } = options;
  const limit = options.batchSize ?? 500;
  const hashed = (v: unknown) => (v === null || v === undefined ? v : hash(v));
  const isSensitive = (fields: string[], k: string) => fields.includes("*") || fields.includes(k);
  const hashFields = (values: Json, fields: string[]): Json =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, isSensitive(fields, k) ? hashed(v) : v]));
  // The value a write expected to find is what a rollback would restore: dropped, not hashed, so a
  // rollback finds it unknown (and looks for it elsewhere) rather than writing a hash into the CRM.
  const dropFields = (values: Json | null, fields: string[]): Json | null =>
    values && Object.fromEntries(Object.entries(values).filter(([k]) => !isSensitive(fields, k)));

  async function purgeWrites(tenants: readonly string[] | null): Promise<number> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        id: string;
        properties: Json;
        expected: Json | null;
        sensitive_fields: string[];
      }>(SETTLED_WRITES, [tenants, limit]);
      if (rows.length === 0) return 0;
      await tx.query(PURGE_WRITES, [
        rows.map((r) => r.id),
        rows.map((r) => JSON.stringify(hashFields(r.properties, r.sensitive_fields))),
        rows.map((r) => JSON.stringify(dropFields(r.expected, r.sensitive_fields))),
      ]);
      return rows.length;
    });
  }

  async function purgeApprovals(tenants: readonly string[] | null): Promise<number> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; current_value: string | null; proposed_value: string | null }>(
        DECIDED_APPROVALS,
        [tenants, limit],
      );
      if (rows.length === 0) return 0;
      await tx.query(PURGE_APPROVALS, [
        rows.map((r) => r.id),
        rows.map((r) => hashed(r.current_value) ?? null),
        rows.map((r) => hashed(r.proposed_value) ?? null),
      ]);
      return rows.length;
    });
  }

  return {
    async purge(tenantIds) {
      const tenants = tenantIds ? [...new Set(tenantIds)] : null;
      let total = 0;
      for (const step of [purgeWrites, purgeApprovals]) {
        let n: number;
        do {
          n = await step(tenants);
          total += n;
        } while (n === limit);
      }
      return total;
    },
  };
}

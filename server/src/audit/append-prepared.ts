import type { AuditEvent } from "../../../shared/audit-event.js";
import type { Sql } from "../db/index.js";
import type { PreparedEvent } from "./prepare-event.js";

// Parameters: $1 tenant id, $2 canonical-JSON heads, $3 tails (see migration 001_audit.sql).
const APPEND_SQL = "SELECT r_event_id, r_prev_hash, r_hash FROM audit_append($1, $2::text[], $3::text[])";

interface AppendedRow {
  r_event_id: string;
  r_prev_hash: string;
  r_hash: string;
}

/**
 * Writes prepared events: one `audit_append` call per tenant, which locks that tenant's head,
 * chains and inserts the events, and moves the head, in one statement. Tenants are taken in
 * sorted order so two multi-tenant batches never wait on each other's heads in a cycle.
 * Callers run this in a transaction when more than one tenant is involved.
 * @returns the stored events, in the order given
 */
export async function appendPrepared(sql: Sql, prepared: readonly PreparedEvent[]): Promise<AuditEvent[]> {
  const byTenant = new Map<string, PreparedEvent[]>();
  for (const p of prepared) {
    const list = byTenant.get(p.tenantId);
    if (list) list.push(p);
    else byTenant.set(p.tenantId, [p]);
  }
  const stored = new Map<string, AuditEvent>();
  for (const tenantId of [...byTenant.keys()].sort()) {
    const batch = byTenant.get(tenantId)!;
    const { rows } = await sql.query<AppendedRow>(APPEND_SQL, [tenantId, batch.map((p) => p.head), batch.map((p) => p.tail)]);
    batch.forEach((p, i) => {
      const row = rows[i];
      if (!row || row.r_event_id !== p.body.event_id) throw new Error("audit_append returned rows out of order");
      stored.set(row.r_event_id, { ...p.body, prev_hash: row.r_prev_hash, hash: row.r_hash } as AuditEvent);
    });
  }
  return prepared.map((p) => stored.get(p.body.event_id as string)!);
}

import type { AuditEvent } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { PreparedEvent } from "./prepare-event.js";

// Parameters: $1 tenant id, $2 canonical-JSON heads, $3 tails (see migration 001_audit.sql).
// Returns [prev_hash of the first event, hash of each event…].
const APPEND_SQL = "SELECT audit_append($1, $2::text[], $3::text[]) AS hashes";
// The same for one event (migration 008), with plain text parameters: most appends are single,
// and a ~1 KB JSON text escaped into an array literal and parsed back costs measurable time.
const APPEND_ONE_SQL = "SELECT audit_append_one($1, $2, $3) AS hashes";

/**
 * Writes prepared events: one `audit_append` call per tenant, which locks that tenant's head,
 * chains and inserts the events, and moves the head, in one statement. Tenants are taken in
 * sorted order so two multi-tenant batches never wait on each other's heads in a cycle.
 * Callers run this in a transaction when more than one tenant is involved.
 * @returns the stored events, in the order given
 */
export async function appendPrepared(sql: Sql, prepared: readonly PreparedEvent[]): Promise<AuditEvent[]> {
  // One event (most appends) needs no grouping.
  if (prepared.length === 1) await appendTenant(sql, prepared[0]!.tenantId, prepared);
  else {
    const byTenant = new Map<string, PreparedEvent[]>();
    for (const p of prepared) {
      const list = byTenant.get(p.tenantId);
      if (list) list.push(p);
      else byTenant.set(p.tenantId, [p]);
    }
    for (const tenantId of [...byTenant.keys()].sort()) await appendTenant(sql, tenantId, byTenant.get(tenantId)!);
  }
  return prepared.map((p) => p.body as unknown as AuditEvent);
}

/**
 * One tenant's events in one statement. Each body is this append's own copy (prepareEvent made
 * it), so it is completed in place: spreading its ~30 members into a new object was a visible
 * share of an append's Node time.
 */
async function appendTenant(sql: Sql, tenantId: string, batch: readonly PreparedEvent[]): Promise<void> {
  const { rows } =
    batch.length === 1
      ? await sql.query<{ hashes: string[] }>(APPEND_ONE_SQL, [tenantId, batch[0]!.head, batch[0]!.tail])
      : await sql.query<{ hashes: string[] }>(APPEND_SQL, [
          tenantId,
          batch.map((p) => p.head),
          batch.map((p) => p.tail),
        ]);
  const hashes = rows[0]?.hashes ?? [];
  if (hashes.length !== batch.length + 1)
    throw new Error(`audit_append returned ${hashes.length} hashes for ${batch.length} events`);
  batch.forEach((p, i) => {
    p.body.prev_hash = hashes[i];
    p.body.hash = hashes[i + 1];
  });
}

import type { Sql } from "../db/index.js";

/** One counted event of one counter's window, kept until the window is over. */
export interface LedgerEntry {
  /** The counter and its window, e.g. `cap:d2026-12-04:role:enrichment:day`. */
  counter: string;
  eventKey: string;
  expiresAt: Date;
}

/**
 * The durable side of the Redis counters (caps and automatic triggers): one PostgreSQL row per
 * counted event, so a counter lost with Redis is rebuilt for its current window from what was
 * really counted (docs/operations.md, "What survives losing Redis"). Rows are keyed by event, so
 * recording a retried batch again changes nothing.
 */
export interface CounterLedger {
  /** Records the entries; returns those not recorded before (a retry's are not new). */
  record(tenantId: string, entries: readonly LedgerEntry[]): Promise<LedgerEntry[]>;
  /** How many events each counter has counted (0 when none), by counter. */
  counts(tenantId: string, counters: readonly string[]): Promise<Map<string, number>>;
  /** Forgets what the counters counted: a lifted switch starts its triggers afresh. */
  forget(tenantId: string, counters: readonly string[]): Promise<void>;
  /** Removes rows whose window is over (recording does it every 10 minutes). @returns how many */
  prune(now: Date): Promise<number>;
}

/** How often recording also removes rows whose window is over (so the table stays small). */
const PRUNE_EVERY_MS = 10 * 60_000;

export function createCounterLedger(db: Sql, options: { now?: () => Date } = {}): CounterLedger {
  const now = options.now ?? (() => new Date());
  let prunedAt = 0;
  const prune = async (at: Date) => (await db.query("DELETE FROM counter_ledger WHERE expires_at < $1", [at])).rowCount;
  return {
    async record(tenantId, entries) {
      if (entries.length === 0) return [];
      const at = now();
      if (at.getTime() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = at.getTime();
        // Housekeeping never fails a batch; the next round tries again.
        void prune(at).catch(() => (prunedAt = 0));
      }
      const { rows } = await db.query<{ counter: string; event_key: string }>(
        `INSERT INTO counter_ledger (tenant_id, counter, event_key, expires_at)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT DO NOTHING RETURNING counter, event_key`,
        [tenantId, entries.map((e) => e.counter), entries.map((e) => e.eventKey), entries.map((e) => e.expiresAt)],
      );
      const added = new Set(rows.map((r) => `${r.counter}\u0000${r.event_key}`));
      return entries.filter((e) => added.has(`${e.counter}\u0000${e.eventKey}`));
    },
    async counts(tenantId, counters) {
      const out = new Map(counters.map((c) => [c, 0]));
      if (counters.length === 0) return out;
      const { rows } = await db.query<{ counter: string; n: string }>(
        `SELECT counter, count(*) AS n FROM counter_ledger
         WHERE tenant_id = $1 AND counter = ANY($2::text[]) GROUP BY counter`,
        [tenantId, [...new Set(counters)]],
      );
      for (const r of rows) out.set(r.counter, Number(r.n));
      return out;
    },
    async forget(tenantId, counters) {
      if (counters.length === 0) return;
      await db.query("DELETE FROM counter_ledger WHERE tenant_id = $1 AND counter = ANY($2::text[])", [
        tenantId,
        [...counters],
      ]);
    },
    prune,
  };
}

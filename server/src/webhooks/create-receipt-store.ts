import type { Database, Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";

/** A delivered batch's share for one tenant, as recorded before the 200. */
export interface NewReceipt {
  /** Also the BullMQ job id. */
  id: string;
  tenantId: string;
  crm: "hubspot" | "salesforce";
  /** The job as queued, JSON. */
  job: string;
}

export interface StaleReceipt {
  id: string;
  tenantId: string;
  crm: "hubspot" | "salesforce";
  job: string;
  requeues: number;
}

export interface StoredReceipt {
  id: string;
  tenantId: string;
  status: "pending" | "done" | "set_aside";
  job: string;
}

export type ReceiptCounts = Record<"pending" | "done" | "set_aside", number>;

export interface ReceiptStore {
  /**
   * Records receipts durably; resolves once they are committed. Receipts arriving while an
   * insert is in flight go together in the next one (one round trip for many requests).
   */
  record(receipts: readonly NewReceipt[]): Promise<void>;
  /** One receipt, or `undefined` when it was never recorded (or already pruned). */
  load(id: string): Promise<StoredReceipt | undefined>;
  /** Marks receipts processed; pass the enforcement transaction as `sql` so both commit together. */
  markDone(ids: readonly string[], sql?: Sql): Promise<void>;
  /** Input that can never succeed: kept with its error, never retried. */
  setAside(id: string, error: string): Promise<void>;
  /**
   * Pending receipts received more than `graceMs` ago (and not re-queued within it), handed to
   * `requeue` inside one transaction that locks them, so two sweeping processes never both take one.
   */
  sweepStale(graceMs: number, limit: number, requeue: (receipts: StaleReceipt[]) => Promise<string[]>): Promise<number>;
  /** Forgets done receipts older than `retentionMs`. */
  prune(retentionMs: number): Promise<number>;
  registerTenant(crm: string, tenantId: string): Promise<void>;
  tenants(crm: string): Promise<string[]>;
  counts(tenantId?: string): Promise<ReceiptCounts>;
  /**
   * A tenant's batches not yet processed: its pending receipts, their jobs in Redis or not yet.
   * One count over the pending index, cheap enough to poll; `counts` reads every status.
   */
  unprocessed(tenantId: string): Promise<number>;
}

/** PostgreSQL takes at most 65,535 parameters a statement; four a row. */
const MAX_ROWS_PER_INSERT = 1000;
const insertSqlByRows = new Map<number, string>();

/**
 * The insert for `rows` receipts, one row of plain text parameters each. Array parameters
 * (`unnest($1::text[], …)`) had the driver escape every quote of every job's JSON: a tenth of
 * the intake's CPU per batch (bench/webhook-ingest.ts).
 */
function insertReceiptsSql(rows: number): string {
  let sql = insertSqlByRows.get(rows);
  if (sql === undefined) {
    const values = Array.from(
      { length: rows },
      (_, r) => `($${r * 4 + 1}, $${r * 4 + 2}, $${r * 4 + 3}, $${r * 4 + 4})`,
    );
    sql = loadSql("insert-receipts").replace("/* rows */", values.join(", "));
    // A group is as large as the requests that arrived during one insert: a few sizes recur.
    if (insertSqlByRows.size < 64) insertSqlByRows.set(rows, sql);
  }
  return sql;
}

interface Waiting {
  receipts: readonly NewReceipt[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The receipts of delivered webhook batches in PostgreSQL (docs/operations.md, "What survives
 * losing Redis"): written before the 200, marked done by the enforcement transaction.
 *
 * @example
 * const receipts = createReceiptStore(db);
 * await receipts.record([{ id: jobId, tenantId, crm: "hubspot", job: JSON.stringify(compact) }]);
 */
export function createReceiptStore(db: Database): ReceiptStore {
  let queue: Waiting[] | undefined;
  const known = new Set<string>();

  // Group commit: one INSERT in flight; requests arriving meanwhile share the next one.
  async function drain(batch: Waiting[]): Promise<void> {
    while (batch.length > 0) {
      const taking = batch.splice(0, batch.length);
      const all = taking.flatMap((w) => w.receipts);
      try {
        for (let i = 0; i < all.length; i += MAX_ROWS_PER_INSERT) {
          const rows = all.slice(i, i + MAX_ROWS_PER_INSERT);
          await db.query(
            insertReceiptsSql(rows.length),
            rows.flatMap((r) => [r.id, r.tenantId, r.crm, r.job]),
          );
        }
        for (const w of taking) w.resolve();
      } catch (err) {
        for (const w of taking) w.reject(err);
      }
    }
    queue = undefined;
  }

  return {
    record(receipts) {
      if (receipts.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiting = { receipts, resolve, reject };
        if (queue) {
          queue.push(waiting);
          return;
        }
        queue = [waiting];
        void drain(queue);
      });
    },
    async load(id) {
      const { rows } = await db.query<{ id: string; tenant_id: string; status: StoredReceipt["status"]; job: string }>(
        loadSql("select-receipt"),
        [id],
      );
      const r = rows[0];
      return r && { id: r.id, tenantId: r.tenant_id, status: r.status, job: r.job };
    },
    async markDone(ids, sql = db) {
      if (ids.length > 0) await sql.query(loadSql("mark-receipts-done"), [ids]);
    },
    async setAside(id, error) {
      await db.query(loadSql("set-receipt-aside"), [id, error]);
    },
    async sweepStale(graceMs, limit, requeue) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string; tenant_id: string; crm: string; job: string; requeues: number }>(
          loadSql("select-stale-receipts"),
          [graceMs, limit],
        );
        if (rows.length === 0) return 0;
        const queued = await requeue(
          rows.map((r) => ({
            id: r.id,
            tenantId: r.tenant_id,
            crm: r.crm as StaleReceipt["crm"],
            job: r.job,
            requeues: r.requeues,
          })),
        );
        if (queued.length > 0) await tx.query(loadSql("mark-requeued"), [queued]);
        return queued.length;
      });
    },
    async prune(retentionMs) {
      return (await db.query(loadSql("prune-receipts"), [retentionMs])).rowCount;
    },
    async registerTenant(crm, tenantId) {
      const key = `${crm}\u0000${tenantId}`;
      if (known.has(key)) return;
      await db.query(loadSql("insert-tenant"), [crm, tenantId]);
      known.add(key);
    },
    async tenants(crm) {
      return (await db.query<{ tenant_id: string }>(loadSql("select-tenants"), [crm])).rows.map((r) => r.tenant_id);
    },
    async unprocessed(tenantId) {
      const { rows } = await db.query<{ n: number }>(loadSql("count-pending-receipts"), [tenantId]);
      return rows[0]?.n ?? 0;
    },
    async counts(tenantId) {
      const out: ReceiptCounts = { pending: 0, done: 0, set_aside: 0 };
      const { rows } = await db.query<{ status: keyof ReceiptCounts; n: number }>(loadSql("count-receipts"), [
        tenantId ?? null,
      ]);
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
  };
}

import { randomUUID } from "node:crypto";
import { canonicalJson } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { runEvery } from "./run-every.js";

export interface AuditStreamOptions {
  db: Sql;
  /** The receiver: Splunk HEC (`…/services/collector/raw`), an Elastic or Datadog HTTP intake. */
  url: string;
  /** Sent as `Authorization` (e.g. `Splunk <token>`, `ApiKey <key>`). */
  authorization?: string | undefined;
  /** @defaultValue 500 */
  batchSize?: number;
  /** How often undelivered events are looked for. @defaultValue 5_000 */
  intervalMs?: number;
  /** Backoff after a failed delivery: base · 2^(failures − 1), at most max. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** @defaultValue 10_000 */
  timeoutMs?: number;
  now?: () => Date;
  logger?: { warn(obj: object, msg: string): void } | undefined;
}

export interface AuditStream {
  /** Sends every tenant's unacknowledged events, batch by batch; resolves with how many were acknowledged. */
  runOnce(): Promise<number>;
  /** The seq up to which the receiver acknowledged a tenant's chain (0: nothing yet). */
  deliveredThrough(tenantId: string): Promise<number>;
  start(): void;
  stop(): void;
}

/**
 * The audit stream to a SIEM (docs/operations.md, security): each tenant's events in chain
 * order, as newline-delimited JSON (one exported event per line, `application/x-ndjson`),
 * POSTed in batches. Delivered at least once: the cursor in PostgreSQL
 * (`audit_stream_cursors`) moves only after a 2xx, so a receiver that is down, a crash or a
 * restart loses nothing, and only a batch whose answer was lost is sent again (its
 * `X-Tollgate-Batch` header and each event's `event_id` let the receiver drop the copy).
 * A failure backs the tenant off exponentially; a lease keeps two processes from sending the
 * same batch at once.
 */
export function createAuditStream(options: AuditStreamOptions): AuditStream {
  const me = `${process.pid}-${randomUUID()}`;
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseUntil = () => new Date(now().getTime() + timeoutMs * 3);

  async function post(tenantId: string, lines: string, from: number, to: number): Promise<void> {
    const headers: Record<string, string> = {
      "content-type": "application/x-ndjson",
      "x-tollgate-batch": `${tenantId}/${from}-${to}`,
    };
    if (options.authorization) headers.authorization = options.authorization;
    const res = await fetch(options.url, {
      method: "POST",
      headers,
      body: lines,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`receiver answered ${res.status}`);
  }

  /** Sends one tenant's backlog while holding its lease; returns the events acknowledged. */
  async function deliverTenant(tenantId: string): Promise<number> {
    await options.db.query(loadSql("stream-ensure-cursor"), [tenantId]);
    const lease = await options.db.query<{ seq: string }>(loadSql("stream-take-lease"), [
      tenantId,
      me,
      now(),
      leaseUntil(),
    ]);
    if (lease.rows.length === 0) return 0;
    let seq = Number(lease.rows[0]!.seq);
    let sent = 0;
    let error: string | null = null;
    try {
      for (;;) {
        const { rows } = await options.db.query<{ seq: string; event: object }>(loadSql("stream-batch"), [
          tenantId,
          seq,
          batchSize,
        ]);
        if (rows.length === 0) break;
        const to = Number(rows[rows.length - 1]!.seq);
        await post(tenantId, rows.map((r) => `${canonicalJson(r.event)}\n`).join(""), Number(rows[0]!.seq), to);
        const moved = await options.db.query(loadSql("stream-advance"), [tenantId, seq, to, me, now(), leaseUntil()]);
        if (moved.rowCount !== 1) return sent; // the lease was lost: whoever holds it carries on
        sent += rows.length;
        seq = to;
        if (rows.length < batchSize) break;
      }
    } catch (err) {
      error = (err as Error).message;
      options.logger?.warn({ err: error, tenantId, seq }, "audit stream: delivery failed; retrying with backoff");
    }
    await options.db.query(loadSql("stream-release"), [
      tenantId,
      me,
      error,
      now(),
      options.retryBaseMs ?? 1_000,
      options.retryMaxMs ?? 60_000,
    ]);
    return sent;
  }

  async function runOnce(): Promise<number> {
    const { rows } = await options.db.query<{ tenant_id: string }>(loadSql("stream-due-tenants"), [now()]);
    let sent = 0;
    for (const { tenant_id } of rows) sent += await deliverTenant(tenant_id);
    return sent;
  }

  return {
    runOnce,
    async deliveredThrough(tenantId) {
      const { rows } = await options.db.query<{ seq: string }>(loadSql("stream-cursor"), [tenantId]);
      return Number(rows[0]?.seq ?? 0);
    },
    ...runEvery(options.intervalMs ?? 5_000, runOnce),
  };
}

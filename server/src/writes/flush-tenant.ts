import { CrmError, msUntilNextCall, type CrmConnector, type WriteResult } from "../crm/index.js";
import type { Database } from "../db/index.js";
import type { Logger } from "../observability/index.js";
import { backoffDelay } from "./backoff-delay.js";
import { claimWrites } from "./claim-writes.js";
import { mergeWrites } from "./merge-writes.js";
import type { WriteOutcome } from "./build-write-audit-event.js";
import { recordFlushResult, type FlushResult } from "./record-flush-result.js";
import type { AuditSink, CrmWriteQueueOptions, CrmWriteRow, WriteCancel } from "./types.js";

/** What a flush needs, bound once by the queue. */
export interface FlushContext {
  db: Database;
  audit: AuditSink;
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  logger: Logger;
  /** Rows per flush; unset, the connector's `writeBatchSize` (100 when it names none). */
  batchSize: number | undefined;
  rateLimitHeadroom: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number; protectiveMaxAgeMs: number };
  guard: CrmWriteQueueOptions["guard"];
  cancel: CrmWriteQueueOptions["cancel"];
  onSettled: CrmWriteQueueOptions["onSettled"];
  onFailing: CrmWriteQueueOptions["onFailing"];
  now: () => number;
}

export type FlushOutcome =
  | { kind: "idle" }
  | { kind: "flushed"; claimed: number; settled: number; retried: number }
  /** The CRM's budget is spent: pause this tenant's queue for `waitMs`, then flush again. */
  | { kind: "rate_limited"; waitMs: number };

// Used when a 429 names no wait and the connector has not seen the interval: HubSpot's burst
// window is 10 s (HubSpot: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * One flush of one tenant: claim up to a batch of due rows, drop the guard's conflicts, send
 * the rest in ONE `writeRecords` call, and record every row's outcome with its audit event.
 * Retryable failures put rows back with a backoff; a rate limit puts them back untouched.
 */
export async function flushTenant(ctx: FlushContext, tenantId: string): Promise<FlushOutcome> {
  const connector = await ctx.connectorFor(tenantId);
  const pause = msUntilNextCall(connector.rateLimitState(), ctx.now(), { reserve: ctx.rateLimitHeadroom });
  if (pause > 0) return { kind: "rate_limited", waitMs: pause };

  const { rows, cancelled } = await claimWrites(
    ctx.db,
    tenantId,
    ctx.batchSize ?? connector.writeBatchSize ?? 100,
    ctx.cancel,
  );
  if (rows.length === 0 && cancelled.length === 0) return { kind: "idle" };

  let result: FlushResult = {
    settled: cancelled.map((c) => cancelledOutcome(c.row, c.cancel)),
    retry: [],
    release: [],
  };
  let rateLimitedFor = 0;
  try {
    if (rows.length) rateLimitedFor = await sendRows(ctx, connector, rows, result);
  } catch (err) {
    // The guard or connector failed unexpectedly: count an attempt and back off, so a bug
    // cannot spin, yet nothing is lost before the attempts run out.
    result = { settled: result.settled.filter((o) => o.status === "cancelled"), retry: [], release: [] };
    retryOrFail(ctx, rows, describe(err), result);
  }

  let settledRows: CrmWriteRow[];
  try {
    settledRows = await recordFlushResult(ctx.db, ctx.audit, result);
  } catch (err) {
    // The CRM may already hold the values; the rows stay in flight and the next flush (or a
    // restart) sends them again — harmless, as writing a value is idempotent.
    ctx.logger.error({ err, tenantId, rows: rows.length }, "crm write queue: could not record a flush");
    throw err;
  }
  if (settledRows.length > 0 && ctx.onSettled) {
    await ctx
      .onSettled(settledRows)
      .catch((err: unknown) => ctx.logger.error({ err, tenantId }, "crm write queue: onSettled failed"));
  }
  if (rateLimitedFor > 0) return { kind: "rate_limited", waitMs: rateLimitedFor };
  return { kind: "flushed", claimed: rows.length, settled: settledRows.length, retried: result.retry.length };
}

const cancelledOutcome = (row: CrmWriteRow, cancel: WriteCancel): WriteOutcome => ({
  row,
  status: "cancelled",
  error: cancel.reason,
  sent: false,
  cancel,
});

/** Sends the claimed rows in one call and adds each one's outcome to `result`; returns how long the CRM asks to wait. */
async function sendRows(
  ctx: FlushContext,
  connector: CrmConnector,
  rows: CrmWriteRow[],
  result: FlushResult,
): Promise<number> {
  const conflicts = ctx.guard ? await ctx.guard(rows) : new Map<string, string>();
  const toSend: CrmWriteRow[] = [];
  for (const row of rows) {
    const reason = conflicts.get(row.id);
    // The last look before the call: a switch that landed since the claim cancels the write
    // unsent; once the call is made, the write completes and is reported (docs/operations.md, containment).
    const cancel = ctx.cancel?.causeOf(row);
    if (cancel) result.settled.push(cancelledOutcome(row, cancel));
    else if (reason === undefined) toSend.push(row);
    else result.settled.push({ row, status: "skipped", error: reason, sent: false });
  }
  if (toSend.length === 0) return 0;

  const { inputs, inputOf } = mergeWrites(toSend);
  let results: WriteResult[];
  try {
    // HubSpot has no conditional update: between the guard's check and this call a human could
    // still change the field. The guard narrows that window; it cannot close it.
    results = await connector.writeRecords(inputs);
  } catch (err) {
    if (err instanceof CrmError && err.crmCode === "rate_limited") {
      result.release.push(...toSend);
      const wait = err.retryAfterMs ?? connector.rateLimitState()?.intervalMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      return Math.max(1, wait);
    }
    if (err instanceof CrmError && !err.retryable) {
      for (const row of toSend) result.settled.push({ row, status: "failed", error: describe(err), sent: true });
    } else {
      retryOrFail(ctx, toSend, describe(err), result);
    }
    return 0;
  }

  toSend.forEach((row, i) => {
    const r = results[inputOf[i]!];
    if (r?.ok) result.settled.push({ row, status: "done", error: null, sent: true });
    else {
      const error = r?.error
        ? `${r.error.code}: ${r.error.message}`
        : "the connector returned no result for this write";
      result.settled.push({ row, status: "failed", error, sent: true });
    }
  });
  return 0;
}

/**
 * Rows back to pending with a backoff, or failed once they are out of chances. A protective
 * write (revert, apply, rollback, shadow clear, provenance) never gives up by count: it retries
 * until it is `protectiveMaxAgeMs` old (docs/operations.md), logged at `error` on every failure
 * from the third on, so an operator hears of it long before. An agent's own write gives up after
 * `retry.attempts`.
 */
function retryOrFail(ctx: FlushContext, rows: CrmWriteRow[], error: string, into: FlushResult): void {
  const failing: CrmWriteRow[] = [];
  for (const row of rows) {
    const attempt = row.attempts + 1;
    const protective = row.purpose !== "agent_action";
    const age = ctx.now() - row.createdAt.getTime();
    const outOfChances = protective ? age >= ctx.retry.protectiveMaxAgeMs : attempt >= ctx.retry.attempts;
    if (outOfChances) {
      const why = protective
        ? `gave up after ${Math.round(age / 1000)} s and ${attempt} attempts`
        : `gave up after ${attempt} attempts`;
      into.settled.push({ row, status: "failed", error: `${why}: ${error}`, sent: true });
      ctx.logger.error(
        { rowId: row.id, tenantId: row.tenantId, purpose: row.purpose, error },
        "crm write failed for good",
      );
      continue;
    }
    if (protective && attempt >= 3) {
      ctx.logger.error(
        { rowId: row.id, tenantId: row.tenantId, purpose: row.purpose, attempt, error },
        "protective crm write keeps failing; retrying",
      );
      failing.push(row);
    }
    into.retry.push({ row, error, delayMs: backoffDelay(attempt, ctx.retry.baseDelayMs, ctx.retry.maxDelayMs) });
  }
  if (failing.length > 0)
    void Promise.resolve(
      ctx.onFailing?.({
        tenantId: failing[0]!.tenantId,
        rowIds: failing.map((r) => r.id),
        attempts: Math.max(...failing.map((r) => r.attempts + 1)),
        error,
      }),
    ).catch(() => undefined);
}

function describe(err: unknown): string {
  if (err instanceof CrmError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

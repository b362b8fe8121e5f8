import type { SignalTriggerMetric } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";

/** Sends below this count as this many, so a few bounces on little volume still read as a rate. */
export const MIN_SENDS_FOR_RATE = 20;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Whose signals a measurement counts: every agent (null), some agents, one sending domain. */
export interface SignalFilter {
  agentIds: string[] | null;
  domain: string | null;
}

/**
 * The value of one delivery-signal trigger metric at `at`, from PostgreSQL (shared/signal.ts
 * says what each means). Durable and exact: the signals table and the audit log are the sources.
 */
export async function measureSignalMetric(
  db: Sql,
  tenantId: string,
  metric: SignalTriggerMetric,
  filter: SignalFilter,
  at: Date,
): Promise<number> {
  const count = async (type: string, windowMs: number) =>
    (
      await db.query<{ n: number }>(loadSql("count-signals"), [
        tenantId,
        type,
        new Date(at.getTime() - windowMs).toISOString(),
        at.toISOString(),
        filter.agentIds,
        filter.domain,
      ])
    ).rows[0]!.n;
  switch (metric) {
    case "complaints_per_day":
      return count("complaint", DAY);
    case "unsubscribes_per_day":
      return count("unsubscribe", DAY);
    case "bounce_rate_percent": {
      const bounces = await count("bounce", HOUR);
      const { rows } = await db.query<{ n: number }>(loadSql("count-sends"), [
        tenantId,
        new Date(at.getTime() - HOUR).toISOString(),
        at.toISOString(),
        filter.agentIds,
        filter.domain,
      ]);
      return (bounces * 100) / Math.max(rows[0]!.n, MIN_SENDS_FOR_RATE);
    }
  }
}

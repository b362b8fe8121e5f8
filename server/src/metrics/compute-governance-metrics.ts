import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { qualityFigures } from "./quality-figures.js";
import type { GovernanceMetrics, ProtectiveWrites } from "./types.js";

const TOP = 10;
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const round = (v: number | null, digits = 4) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/**
 * Governance figures for a tenant and range (`from` inclusive, `to` exclusive), computed from the
 * system of record: audit events, approvals, exceptions and crm_writes. `now` only matters for
 * the SLA state of exceptions.
 */
export async function computeGovernanceMetrics(
  sql: Sql,
  tenantId: string,
  range: { from: Date; to: Date },
  now: Date = new Date(),
): Promise<GovernanceMetrics> {
  const p = [tenantId, range.from.toISOString(), range.to.toISOString()];
  const one = async <R>(name: string, params: unknown[] = p) => (await sql.query<R>(loadSql(name), params)).rows;
  const [quality, [actions], [approvals], [exceptions], protective, fields, bypass, [review], outbound] =
    await Promise.all([
      Promise.all([
        one<{ verdict: string | null; confidence: number | null; dedupe: string | null }>("qa-outcomes"),
        one<{ sends: number; bounces: number; complaints: number }>("delivery-rates"),
        one<{ duplicates_refused: number; stage_violations: number }>("duplicate-and-stage"),
      ]).then(([reviews, [delivery], [counts]]) => qualityFigures(reviews, delivery, counts)),
      one<{ n: number }>("count-agent-actions"),
      one<{ applied: number; rejected: number; expired: number; pending: number }>("count-approvals"),
      one<{ opened: number; unresolved: number; overdue: number }>("count-exceptions", [...p, now.toISOString()]),
      one<ProtectiveWrites & { purpose: string }>("count-protective-writes"),
      one<{ object_type: string; field: string; changes: number }>("top-changed-fields", [...p, TOP]),
      one<{ agent_id: string; attempts: number }>("approval-bypass-attempts"),
      one<{ n: number; p50: number | null; p90: number | null }>("time-to-review"),
      one<{ domain: string | null; object_type: string | null; object_id: string | null; n: number }>(
        "outbound-by-key",
      ),
    ]);
  const agentActions = actions?.n ?? 0;
  const a = approvals ?? { applied: 0, rejected: 0, expired: 0, pending: 0 };
  const writesOf = (purpose: string): ProtectiveWrites => {
    const r = protective.find((x) => x.purpose === purpose);
    return { planned: r?.planned ?? 0, done: r?.done ?? 0, conflicts: r?.conflicts ?? 0, failed: r?.failed ?? 0 };
  };

  // Per recipient domain when outbound actions name one; otherwise per record of all agent actions.
  const withDomain = outbound.filter((o) => o.domain);
  const concentrationRows =
    withDomain.length > 0
      ? sumBy(withDomain.map((o) => [o.domain!, o.n]))
      : sumBy(
          (await one<{ object_type: string; object_id: string; n: number }>("actions-by-object")).map((o) => [
            `${o.object_type}/${o.object_id}`,
            o.n,
          ]),
        );
  const total = [...concentrationRows.values()].reduce((s, n) => s + n, 0);
  const ranked = [...concentrationRows.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));

  return {
    tenantId,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    agentActions,
    acceptance: { ...a, rate: round(ratio(a.applied, a.applied + a.rejected + a.expired)) },
    exceptions: {
      opened: exceptions?.opened ?? 0,
      per100Actions: round(ratio((exceptions?.opened ?? 0) * 100, agentActions), 2),
      unresolved: exceptions?.unresolved ?? 0,
      overdue: exceptions?.overdue ?? 0,
    },
    reverts: writesOf("revert"),
    rollbacks: writesOf("rollback"),
    topChangedFields: fields.map((f) => ({ objectType: f.object_type, field: f.field, changes: f.changes })),
    approvalBypassAttempts: {
      total: bypass.reduce((s, b) => s + b.attempts, 0),
      byAgent: bypass.map((b) => ({ agentId: b.agent_id, attempts: b.attempts })),
    },
    timeToReview: {
      decided: review?.n ?? 0,
      medianSeconds: round(review?.p50 ?? null, 1),
      p90Seconds: round(review?.p90 ?? null, 1),
    },
    quality,
    concentration: {
      by: withDomain.length > 0 ? "domain" : "object",
      total,
      top: ranked.slice(0, TOP).map(([key, count]) => ({ key, count, share: round(count / total)! })),
      // Herfindahl–Hirschman index over all keys: 1 means everything went to one place.
      hhi: total === 0 ? null : round(ranked.reduce((s, [, n]) => s + (n / total) ** 2, 0)),
    },
  };
}

function sumBy(pairs: [string, number][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, n] of pairs) m.set(k, (m.get(k) ?? 0) + n);
  return m;
}

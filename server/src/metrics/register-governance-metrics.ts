import { Gauge, type Registry } from "prom-client";
import type { Sql } from "../db/index.js";
import { computeGovernanceMetrics } from "./compute-governance-metrics.js";
import { QUALITY_FIGURES } from "./quality-gauges.js";
import type { Figure, GovernanceMetrics } from "./types.js";

export interface GovernanceCollectorOptions {
  db: Sql;
  /** Tenants to report. @defaultValue every tenant with an audit chain or a tenants row */
  tenants?: () => Promise<string[]>;
  /** The trailing window each scrape reports. @defaultValue 24 h */
  windowMs?: number;
  /**
   * A scrape within this long of the last reuses its figures, so scrapers cannot load the database. @defaultValue 30 s
   */
  cacheMs?: number;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

const FIGURES: Figure[] = [
  {
    name: "agent_actions",
    help: "Agent actions decided by the policy in the window",
    values: (m) => [[{}, m.agentActions]],
  },
  {
    name: "acceptance_ratio",
    help: "Proposals applied / (applied + rejected + expired) in the window",
    values: (m) => [[{}, m.acceptance.rate]],
  },
  {
    name: "exceptions_per_100_actions",
    help: "Exceptions opened per 100 agent actions in the window",
    values: (m) => [[{}, m.exceptions.per100Actions]],
  },
  { name: "exceptions_unresolved", help: "Exceptions not closed", values: (m) => [[{}, m.exceptions.unresolved]] },
  {
    name: "exceptions_overdue",
    help: "Exceptions past their review or remediation deadline",
    values: (m) => [[{}, m.exceptions.overdue]],
  },
  { name: "reverts", help: "Revert writes planned in the window", values: (m) => [[{}, m.reverts.planned]] },
  { name: "rollbacks", help: "Rollback writes planned in the window", values: (m) => [[{}, m.rollbacks.planned]] },
  {
    name: "approval_bypass_attempts",
    help: "Direct agent writes to fields needing approval in the window",
    values: (m) => [[{}, m.approvalBypassAttempts.total]],
  },
  {
    name: "time_to_review_seconds",
    help: "Approval created to a person's decision, in the window",
    labels: ["quantile"],
    values: (m) => [
      [{ quantile: "0.5" }, m.timeToReview.medianSeconds],
      [{ quantile: "0.9" }, m.timeToReview.p90Seconds],
    ],
  },
  {
    name: "top_concentration_share",
    help: "Share of outbound actions going to the busiest domain (or record)",
    values: (m) => [[{}, m.concentration.top[0]?.share ?? null]],
  },
  ...QUALITY_FIGURES,
];

/**
 * Registers governance gauges (`tollgate_governance_*{tenant}`) on the app's registry, computed
 * from PostgreSQL when `/metrics` is scraped, over a trailing window.
 */
export function registerGovernanceMetrics(registry: Registry, options: GovernanceCollectorOptions): void {
  const windowMs = options.windowMs ?? 24 * 3600_000;
  const cacheMs = options.cacheMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  const tenants =
    options.tenants ??
    (async () =>
      (
        await options.db.query<{ tenant_id: string }>(
          "SELECT tenant_id FROM tenants UNION SELECT tenant_id FROM audit_heads ORDER BY 1",
        )
      ).rows.map((r) => r.tenant_id));
  let cached: { at: number; figures: Promise<GovernanceMetrics[]> } | undefined;

  function current(): Promise<GovernanceMetrics[]> {
    const t = now();
    if (!cached || t.getTime() - cached.at >= cacheMs) {
      const figures = (async () =>
        Promise.all(
          (await tenants()).map((id) =>
            computeGovernanceMetrics(options.db, id, { from: new Date(t.getTime() - windowMs), to: t }, t),
          ),
        ))();
      cached = { at: t.getTime(), figures };
      // A failed computation must not stick: the next scrape tries again.
      figures.catch(() => (cached = undefined));
    }
    return cached.figures;
  }

  for (const f of FIGURES) {
    new Gauge({
      name: `tollgate_governance_${f.name}`,
      help: f.help,
      labelNames: ["tenant", ...(f.labels ?? [])],
      registers: [registry],
      async collect() {
        this.reset();
        for (const m of await current()) {
          for (const [labels, value] of f.values(m))
            if (value !== null) this.set({ tenant: m.tenantId, ...labels }, value);
        }
      },
    });
  }
}

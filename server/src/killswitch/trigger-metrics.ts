import { ENFORCEMENT_TRIGGER_METRICS } from "../../../shared/index.js";

/**
 * The `kill_switch_triggers` metrics enforcement measures (requirements R7 "automatic
 * triggers"); the delivery-signal ones (bounce_rate_percent, complaints_per_day…) are measured by
 * signals/ from what the sending system reports. A policy naming neither gets a validation warning.
 *
 * - `agent_writes_per_minute`: governed writes an agent made (direct writes and proposals,
 *   provenance excepted), counted as they arrive, before they are decided;
 * - `reverts_per_minute`: agents' direct writes reverted by the policy;
 * - `denials_per_minute`: agents' writes or proposals denied or over a cap;
 * - `approval_bypass_attempts`: an agent wrote a tier-3 field directly instead of proposing it;
 * - `writes_to_excluded_segments`: agent actions refused by a `segment` switch (customers,
 *   partners, competitors).
 * A switch's own refusals (`killed`) count in none of the last four: the switch already holds
 * what they would trip, and counting them would spread one agent's stop to the whole tenant.
 */
export const TRIGGER_METRICS = ENFORCEMENT_TRIGGER_METRICS;
export type TriggerMetric = (typeof TRIGGER_METRICS)[number];

export function isTriggerMetric(metric: string): metric is TriggerMetric {
  return (TRIGGER_METRICS as readonly string[]).includes(metric);
}

/** The sliding window a metric is measured over: its `_per_<unit>` suffix, else one hour. */
export function triggerWindowMs(metric: string): number {
  if (metric.endsWith("_per_minute")) return 60_000;
  if (metric.endsWith("_per_day")) return 86_400_000;
  return 3_600_000;
}

/**
 * The first of `n` new events that takes a rate from `before` to above `above` (1-based), or
 * `undefined` when none does. Pure; `before` may be fractional (a sliding estimate).
 */
export function firstCrossing(before: number, n: number, above: number): number | undefined {
  const k = Math.max(1, Math.floor(above - before) + 1);
  return k <= n ? k : undefined;
}

import type { RateLimitState } from "../connector.js";

/**
 * Reads HubSpot's rate-limit headers (`X-HubSpot-RateLimit-Max`, `-Remaining`,
 * `-Interval-Milliseconds`, `-Daily-Remaining`). OAuth and search responses omit some or all of
 * them, so a response without `-Max`/`-Remaining` yields `undefined` and the last state stands.
 * @see HubSpot: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
export function readRateLimitHeaders(
  headers: { get(name: string): string | null },
  observedAt: number,
): RateLimitState | undefined {
  const max = toInt(headers.get("x-hubspot-ratelimit-max"));
  const remaining = toInt(headers.get("x-hubspot-ratelimit-remaining"));
  if (max === undefined || remaining === undefined) return undefined;
  return {
    max,
    remaining,
    intervalMs: toInt(headers.get("x-hubspot-ratelimit-interval-milliseconds")) ?? 10_000,
    observedAt,
    dailyRemaining: toInt(headers.get("x-hubspot-ratelimit-daily-remaining")),
  };
}

function toInt(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

import type { RateLimitState } from "../crm/index.js";

/**
 * The daily budget resets at midnight in the account's time zone, which no header tells, so
 * a spent day is checked again after this long.
 */
export const DAILY_EXHAUSTED_WAIT_MS = 15 * 60_000;

/**
 * How long to hold off before the next CRM call, judged from the CRM's last reported budget:
 * when no more than `headroom` calls remain in the current interval, wait for it to reset.
 * HubSpot's window is rolling and it does not say when it resets, so the interval is counted
 * from when the numbers were seen — never shorter than the truth.
 * @returns milliseconds to wait, or 0 to go ahead
 * @see HubSpot: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines (X-HubSpot-RateLimit-Remaining, -Interval-Milliseconds, -Daily-Remaining)
 */
export function rateLimitPause(state: RateLimitState | undefined, headroom: number, now: number): number {
  if (!state) return 0;
  const elapsed = Math.max(0, now - state.observedAt);
  if (state.dailyRemaining !== undefined && state.dailyRemaining <= 0)
    return Math.max(0, DAILY_EXHAUSTED_WAIT_MS - elapsed);
  if (elapsed >= state.intervalMs) return 0;
  return state.remaining <= headroom ? state.intervalMs - elapsed : 0;
}

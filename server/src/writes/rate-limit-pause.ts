import type { RateLimitState } from "../crm/index.js";

/**
 * How long to hold off before the next CRM call, judged from the CRM's last reported budget:
 * when no more than `headroom` calls remain in the current interval, wait for it to reset.
 * HubSpot's window is rolling and it does not say when it resets, so the interval is counted
 * from when the numbers were seen — never shorter than the truth.
 * @returns milliseconds to wait, or 0 to go ahead
 * @see ../../../../shared/reference/hubspot.md §3 (X-HubSpot-RateLimit-Remaining, -Interval-Milliseconds)
 */
export function rateLimitPause(state: RateLimitState | undefined, headroom: number, now: number): number {
  if (!state) return 0;
  const resetAt = state.observedAt + state.intervalMs;
  if (resetAt <= now) return 0;
  return state.remaining <= headroom ? resetAt - now : 0;
}

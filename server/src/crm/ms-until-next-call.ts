import type { RateLimitState } from "./connector.js";

export interface PacingOptions {
  /**
   * Calls kept in hand in every window, for other workers sharing the app's budget and for the
   * calls made since the state was read. HubSpot wants 429s under 5% of requests for certification.
   * @defaultValue 5% of `max`, at least 1
   */
  reserve?: number;
  /**
   * Wait when the daily budget is gone. It resets at midnight in the account's time zone, which
   * the headers do not tell, so the queue checks back after this long.
   * @defaultValue 15 minutes
   */
  dailyExhaustedWaitMs?: number;
}

/**
 * How long to wait before the next CRM call so it never provokes a 429, given the budget the
 * connector last reported (`CrmConnector.rateLimitState()`). Pure: the write queue calls it with
 * its own clock — the one pacing rule, tested against the sandbox's rolling window.
 *
 * HubSpot's burst limit is a rolling window (`TEN_SECONDLY_ROLLING`); we wait out the window the
 * state was observed in once the remaining calls fall to the reserve. That is conservative (a
 * rolling window frees slots earlier) but never early.
 *
 * @example
 * const wait = msUntilNextCall(connector.rateLimitState(), Date.now());
 * if (wait > 0) await worker.rateLimit(wait);
 */
export function msUntilNextCall(state: RateLimitState | undefined, now: number, options: PacingOptions = {}): number {
  if (!state) return 0;
  const elapsed = Math.max(0, now - state.observedAt);
  if (state.dailyRemaining !== undefined && state.dailyRemaining <= 0) {
    return Math.max(0, (options.dailyExhaustedWaitMs ?? 15 * 60_000) - elapsed);
  }
  if (elapsed >= state.intervalMs) return 0;
  const reserve = options.reserve ?? Math.max(1, Math.ceil(state.max * 0.05));
  if (state.remaining > reserve) return 0;
  return state.intervalMs - elapsed;
}

/** HubSpot's burst window: `X-HubSpot-RateLimit-Interval-Milliseconds: 10000`. */
export const RATE_LIMIT_INTERVAL_MS = 10_000;

export interface RateLimitVerdict {
  allowed: boolean;
  /** Which limit refused the request, as HubSpot's 429 body names it. */
  policy?: "TEN_SECONDLY_ROLLING" | "DAILY";
  max: number;
  remaining: number;
  daily: number;
  dailyRemaining: number;
}

/**
 * Requests per rolling 10 s per key (HubSpot's `TEN_SECONDLY_ROLLING` policy) plus a daily
 * count. A refused request does not use up budget, as on HubSpot.
 */
export class RollingRateLimiter {
  private readonly windows = new Map<string, number[]>();
  private readonly daily = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly dailyMax: number,
    readonly intervalMs: number = RATE_LIMIT_INTERVAL_MS,
  ) {}

  take(key: string, now: number): RateLimitVerdict {
    const since = now - this.intervalMs;
    const window = (this.windows.get(key) ?? []).filter((t) => t > since);
    this.windows.set(key, window);
    const used = this.daily.get(key) ?? 0;
    if (window.length >= this.max || used >= this.dailyMax) {
      const policy = window.length >= this.max ? "TEN_SECONDLY_ROLLING" : "DAILY";
      return {
        allowed: false,
        policy,
        max: this.max,
        remaining: 0,
        daily: this.dailyMax,
        dailyRemaining: Math.max(0, this.dailyMax - used),
      };
    }
    window.push(now);
    this.daily.set(key, used + 1);
    return {
      allowed: true,
      max: this.max,
      remaining: this.max - window.length,
      daily: this.dailyMax,
      dailyRemaining: this.dailyMax - used - 1,
    };
  }
}

import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/** The CRM calls a budget paces: history reads and searches. Writes are paced by the write queue. */
export type BudgetedCall = "read" | "search";

/** Waits until the tenant's budget has room for one more call of a kind, however many processes ask. */
export interface CrmRateBudget {
  take(tenantId: string, call: BudgetedCall): Promise<void>;
}

export interface CrmRateBudgetOptions {
  /** Shared by every process: the budget lives in Redis. */
  redis: Redis;
  /** @defaultValue `"tollgate"` */
  prefix?: string;
  /**
   * Searches per second per tenant: HubSpot's search API allows 5 a second per account, apart
   * from the general budget (docs/operations.md, "Several processes").
   * @defaultValue 5
   */
  searchesPerSecond?: number;
  /**
   * Record reads per 10 seconds per tenant: what the general budget (110 per 10 s for an OAuth
   * app) leaves beside the write queue's 9 a second.
   * @defaultValue 20
   */
  readsPerTenSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A per-tenant CRM call budget in Redis (rate-limiter-flexible, fixed windows), so history reads
 * and reconciliation searches of all processes together stay within the CRM's limits instead of
 * each process spending the whole budget.
 */
export function createCrmRateBudget(options: CrmRateBudgetOptions): CrmRateBudget {
  const prefix = options.prefix ?? "tollgate";
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limiters: Record<BudgetedCall, RateLimiterRedis> = {
    search: new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${prefix}:crm-budget:search`,
      points: options.searchesPerSecond ?? 5,
      duration: 1,
    }),
    read: new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${prefix}:crm-budget:read`,
      points: options.readsPerTenSeconds ?? 20,
      duration: 10,
    }),
  };
  return {
    async take(tenantId, call) {
      for (;;) {
        try {
          await limiters[call].consume(tenantId);
          return;
        } catch (err) {
          // Over budget: wait for the window to turn. Anything else (Redis away) is the caller's failure.
          if (!(err instanceof RateLimiterRes)) throw err;
          await sleep(Math.max(10, err.msBeforeNext));
        }
      }
    },
  };
}

import type { Redis } from "ioredis";
import { defineScript, runScript } from "../limits/index.js";
import { TRIGGER_METRICS, triggerWindowMs } from "./trigger-metrics.js";

/**
 * Adds to the current window's bucket and reads the previous one, for several counters at once.
 * KEYS: current and previous bucket per counter. ARGV: per counter the increment and TTL (ms).
 * Returns per counter {current after increment, previous}.
 */
const COUNT = defineScript(`
local out = {}
for i = 1, #KEYS / 2 do
  local cur = redis.call('INCRBY', KEYS[i * 2 - 1], ARGV[i * 2 - 1])
  redis.call('PEXPIRE', KEYS[i * 2 - 1], ARGV[i * 2])
  out[i] = {cur, tonumber(redis.call('GET', KEYS[i * 2]) or '0')}
end
return out
`);

export interface TriggerCount {
  metric: string;
  /** Whose rate: `agent:enrichment-bot`, `tenant`, `role:enrichment`. */
  subject: string;
  n: number;
}

/**
 * Event rates for automatic triggers, over a sliding window estimated from two fixed buckets
 * (the previous bucket weighted by how much of it is still inside the window): one atomic
 * script per batch, constant memory whatever the rate, and no burst across a bucket boundary
 * doubles what a trigger lets through.
 */
export function createTriggerCounter(options: { redis: Redis; prefix?: string }) {
  const prefix = options.prefix ?? "tollgate";
  const bucketKeys = (tenantId: string, metric: string, subject: string, at: Date): [string, string] => {
    const windowMs = triggerWindowMs(metric);
    const bucket = Math.floor(at.getTime() / windowMs);
    const base = `${prefix}:trg:{${tenantId}}:${metric}:${subject}:`;
    return [base + bucket, base + (bucket - 1)];
  };
  return {
    /**
     * Forgets every metric's rate for one subject (`agent:enrichment-bot`, `tenant`…): the two
     * buckets the sliding window reads at `at`. Called when a switch of that scope is lifted.
     */
    async reset(tenantId: string, subject: string, at: Date): Promise<void> {
      await options.redis.del(...TRIGGER_METRICS.flatMap((m) => bucketKeys(tenantId, m, subject, at)));
    },
    /** Counts the events; returns each counter's rate before and after them. */
    async add(
      tenantId: string,
      counts: readonly TriggerCount[],
      at: Date,
    ): Promise<{ before: number; after: number }[]> {
      if (counts.length === 0) return [];
      const keys: string[] = [];
      const args: number[] = [];
      const weights: number[] = [];
      for (const c of counts) {
        const windowMs = triggerWindowMs(c.metric);
        const bucket = Math.floor(at.getTime() / windowMs);
        keys.push(...bucketKeys(tenantId, c.metric, c.subject, at));
        args.push(c.n, windowMs * 2);
        weights.push(1 - (at.getTime() - bucket * windowMs) / windowMs);
      }
      const replies = (await runScript(options.redis, COUNT, keys, args)) as [number, number][];
      return replies.map(([cur, prev], i) => {
        const after = cur + prev * weights[i]!;
        return { before: after - counts[i]!.n, after };
      });
    },
  };
}

export type TriggerCounter = ReturnType<typeof createTriggerCounter>;

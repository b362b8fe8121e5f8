import type { Redis } from "ioredis";
import { defineScript, rebuildCounters, runScript, type CounterLedger, type CounterSlot } from "../limits/index.js";
import { TRIGGER_METRICS, triggerWindowMs } from "./trigger-metrics.js";

/**
 * Adds to the current window's bucket and reads the previous one, for several counters at once.
 * KEYS: current and previous bucket per counter. ARGV: whether missing buckets must be rebuilt
 * first (1), then per counter the increment and TTL (ms).
 * Returns `{{-1, index…}}` (nothing added) when rebuilding is asked for and the buckets at those
 * KEYS indexes do not exist; otherwise per counter {current after increment, previous}.
 */
const COUNT = defineScript(`
if ARGV[1] == '1' then
  local missing = {-1}
  for k = 1, #KEYS do
    if redis.call('EXISTS', KEYS[k]) == 0 then missing[#missing + 1] = k end
  end
  if #missing > 1 then return {missing} end
end
local out = {}
for i = 1, #KEYS / 2 do
  local cur = redis.call('INCRBY', KEYS[i * 2 - 1], ARGV[i * 2])
  redis.call('PEXPIRE', KEYS[i * 2 - 1], ARGV[i * 2 + 1])
  out[i] = {cur, tonumber(redis.call('GET', KEYS[i * 2]) or '0')}
end
return out
`);
const REBUILD_ROUNDS = 3;

export interface TriggerCount {
  metric: string;
  /** Whose rate: `agent:enrichment-bot`, `tenant`, `role:enrichment`. */
  subject: string;
  n: number;
  /**
   * The events counted (`n` of them): with a ledger, an event already counted for this metric and
   * subject (a retried batch) is not counted again.
   */
  eventKeys?: readonly string[];
}

/** A counter's rate before and after the events, and which of `eventKeys` it counted. */
export interface TriggerRate {
  before: number;
  after: number;
  /** Per event of `eventKeys` (when given): counted now, or already before. */
  counted?: boolean[];
}

/**
 * Event rates for automatic triggers, over a sliding window estimated from two fixed buckets
 * (the previous bucket weighted by how much of it is still inside the window): one atomic
 * script per batch, constant memory whatever the rate, and no burst across a bucket boundary
 * doubles what a trigger lets through. With a `ledger` every counted event is also kept in
 * PostgreSQL, and buckets lost with Redis are rebuilt from it (docs/operations.md, "What survives
 * losing Redis").
 */
export function createTriggerCounter(options: { redis: Redis; prefix?: string; ledger?: CounterLedger }) {
  const { redis, ledger } = options;
  const prefix = options.prefix ?? "tollgate";
  const slotsOf = (tenantId: string, metric: string, subject: string, at: Date): [CounterSlot, CounterSlot] => {
    const windowMs = triggerWindowMs(metric);
    const bucket = Math.floor(at.getTime() / windowMs);
    const slot = (b: number): CounterSlot => ({
      name: `${prefix}:trg:{${tenantId}}:${metric}:${subject}:${b}`,
      counter: `trg:${metric}:${subject}:${b}`,
      ttlSeconds: Math.ceil(((b + 2) * windowMs - at.getTime()) / 1000),
    });
    return [slot(bucket), slot(bucket - 1)];
  };

  /** Records the events in the ledger; how many of each count are new, and which. */
  async function fresh(tenantId: string, counts: readonly TriggerCount[], at: Date) {
    const entries = counts.flatMap((c) => {
      const [cur] = slotsOf(tenantId, c.metric, c.subject, at);
      const expiresAt = new Date(at.getTime() + cur.ttlSeconds * 1000);
      return (c.eventKeys ?? []).map((eventKey) => ({ counter: cur.counter, eventKey, expiresAt }));
    });
    const added = new Set((await ledger!.record(tenantId, entries)).map((e) => `${e.counter}\u0000${e.eventKey}`));
    return counts.map((c) => {
      if (c.eventKeys === undefined) return { n: c.n, counted: undefined };
      const [cur] = slotsOf(tenantId, c.metric, c.subject, at);
      const counted = c.eventKeys.map((k) => added.has(`${cur.counter}\u0000${k}`));
      return { n: counted.filter(Boolean).length, counted };
    });
  }

  return {
    /**
     * Forgets every metric's rate for one subject (`agent:enrichment-bot`, `tenant`…): the two
     * buckets the sliding window reads at `at`, in the ledger too. Called when a switch of that
     * scope is lifted.
     */
    async reset(tenantId: string, subject: string, at: Date): Promise<void> {
      const slots = TRIGGER_METRICS.flatMap((m) => slotsOf(tenantId, m, subject, at));
      await ledger?.forget(
        tenantId,
        slots.map((s) => s.counter),
      );
      await redis.del(...slots.map((s) => s.name));
    },
    /** Counts the events; returns each counter's rate before and after them. */
    async add(tenantId: string, counts: readonly TriggerCount[], at: Date): Promise<TriggerRate[]> {
      if (counts.length === 0) return [];
      const added = ledger ? await fresh(tenantId, counts, at) : counts.map((c) => ({ n: c.n, counted: undefined }));
      const slots: CounterSlot[] = [];
      const args: number[] = [];
      const weights: number[] = [];
      for (const [i, c] of counts.entries()) {
        const windowMs = triggerWindowMs(c.metric);
        slots.push(...slotsOf(tenantId, c.metric, c.subject, at));
        args.push(added[i]!.n, windowMs * 2);
        weights.push(1 - (at.getTime() % windowMs) / windowMs);
      }
      const keys = slots.map((s) => s.name);
      let replies: [number, number][] = [];
      for (let round = 0; round <= REBUILD_ROUNDS; round++) {
        const rebuild = ledger !== undefined && round < REBUILD_ROUNDS ? 1 : 0;
        const reply = (await runScript(redis, COUNT, keys, [rebuild, ...args])) as number[][];
        if (reply[0]?.[0] !== -1) {
          replies = reply as [number, number][];
          break;
        }
        // What this batch just recorded is added by the script, not rebuilt.
        const own = new Map(counts.map((c, i) => [slots[i * 2]!.counter, added[i]!.n]));
        const missing = reply[0]!.slice(1).map((k) => slots[k - 1]!);
        await rebuildCounters(redis, ledger!, tenantId, missing, own);
      }
      return replies.map(([cur, prev], i) => {
        const after = cur + prev * weights[i]!;
        const { n, counted } = added[i]!;
        return { before: after - n, after, ...(counted ? { counted } : {}) };
      });
    },
  };
}

export type TriggerCounter = ReturnType<typeof createTriggerCounter>;

import { hash } from "node:crypto";
import type { CounterKey, CountersSnapshot } from "../policy/index.js";
import { CONSUME_SCRIPT } from "./consume-script.js";
import { runScript } from "./run-script.js";
import type { ConsumeResult, CounterStore, CounterStoreOptions, CounterWindowOptions } from "./types.js";
import { windowPeriod } from "./window-period.js";

/** 128 bits of SHA-256: short marker keys for event ids of any length. */
const digest = (s: string) => hash("sha256", s, "base64url").slice(0, 22);
const COUNTED_TTL_S = 3 * 24 * 3600;

/**
 * A Redis-backed `CounterStore`. Keys carry the tenant in a hash tag (`{tenant}`) so one
 * tenant's counters share a cluster slot and one script can touch them all; they expire once
 * their calendar period (in the tenant's zone) is over.
 *
 * @example
 * const counters = createCounterStore({ redis, prefix: "tollgate" });
 * const keys = getCounterKeys(policy, input);
 * const snapshot = await counters.snapshot(tenantId, keys, { timeZone: policy.timezone });
 * if (decide(policy, input, snapshot, switches).outcome === "allow") await counters.consume(tenantId, keys, { timeZone:
 * policy.timezone });
 */
export function createCounterStore(options: CounterStoreOptions): CounterStore {
  const { redis } = options;
  const prefix = options.prefix ?? "tollgate";
  const now = options.now ?? (() => new Date());

  const redisKey = (tenantId: string, key: CounterKey, o: CounterWindowOptions) => {
    const period = windowPeriod(key.window, o.at ?? now(), o.timeZone);
    return { name: `${prefix}:cap:{${tenantId}}:${period.id}:${key.key}`, ttl: period.ttlSeconds };
  };

  async function consumeMany(
    tenantId: string,
    items: readonly (readonly CounterKey[])[],
    o: CounterWindowOptions,
    eventIds?: readonly (string | undefined)[],
  ): Promise<ConsumeResult[]> {
    const keys: string[] = [];
    const index = new Map<string, number>();
    const args: (string | number)[] = [items.length];
    const unique = items.map((item) => [...new Map(item.map((k) => [k.key, k])).values()]);
    for (const [n, item] of unique.entries()) {
      const eventId = eventIds?.[n];
      // The marker outlives every window a cap can have (a day, in the tenant's zone, plus slack).
      if (eventId === undefined || item.length === 0) args.push(0, 0);
      else args.push(keys.push(`${prefix}:cap:{${tenantId}}:counted:${digest(eventId)}`), COUNTED_TTL_S);
      args.push(item.length);
      for (const k of item) {
        const r = redisKey(tenantId, k, o);
        let i = index.get(r.name);
        if (i === undefined) {
          i = keys.push(r.name);
          index.set(r.name, i);
        }
        args.push(i, k.limit, r.ttl);
      }
    }
    if (unique.every((item) => item.length === 0)) return items.map(() => ({ ok: true }));
    const replies = (await runScript(redis, CONSUME_SCRIPT, keys, args)) as number[][];
    return replies.map((reply, i) => {
      if (reply[0] === 1) return { ok: true };
      const counters: Record<string, number> = {};
      unique[i]!.forEach((k, j) => (counters[k.key] = Number(reply[j + 1] ?? 0)));
      return { ok: false, counters };
    });
  }

  return {
    async snapshot(tenantId, keys, o) {
      if (keys.length === 0) return {};
      const names = keys.map((k) => redisKey(tenantId, k, o).name);
      const values = await redis.mget(...names);
      const out: Record<string, number> = {};
      keys.forEach((k, i) => (out[k.key] = Number(values[i] ?? 0)));
      return out satisfies CountersSnapshot;
    },
    async consume(tenantId, keys, o) {
      return (await consumeMany(tenantId, [keys], o))[0]!;
    },
    consumeMany,
  };
}

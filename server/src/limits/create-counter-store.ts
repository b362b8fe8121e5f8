import { hash, randomUUID } from "node:crypto";
import type { CounterKey, CountersSnapshot } from "../policy/index.js";
import { CONSUME_SCRIPT } from "./consume-script.js";
import type { LedgerEntry } from "./create-counter-ledger.js";
import { rebuildCounters, type CounterSlot } from "./rebuild-counters.js";
import { runScript } from "./run-script.js";
import type { ConsumeResult, CounterStore, CounterStoreOptions, CounterWindowOptions } from "./types.js";
import { windowPeriod } from "./window-period.js";

/** 128 bits of SHA-256: short marker keys for event ids of any length. */
const digest = (s: string) => hash("sha256", s, "base64url").slice(0, 22);
const COUNTED_TTL_S = 3 * 24 * 3600;
/** Rebuild rounds before counting anyway (a window that turned over mid-batch starts at 0). */
const REBUILD_ROUNDS = 3;

/**
 * A Redis-backed `CounterStore`. Keys carry the tenant in a hash tag (`{tenant}`) so one
 * tenant's counters share a cluster slot and one script can touch them all; they expire once
 * their calendar period (in the tenant's zone) is over. With a `ledger`, every counted event is
 * also kept in PostgreSQL, and a counter missing from Redis is rebuilt from it before it is read
 * or counted: losing Redis hands no agent a fresh quota.
 *
 * @example
 * const counters = createCounterStore({ redis, prefix: "tollgate", ledger: createCounterLedger(db) });
 * const keys = getCounterKeys(policy, input);
 * const snapshot = await counters.snapshot(tenantId, keys, { timeZone: policy.timezone });
 * if (decide(policy, input, snapshot, switches).outcome === "allow") await counters.consume(tenantId, keys, { timeZone:
 * policy.timezone });
 */
export function createCounterStore(options: CounterStoreOptions): CounterStore {
  const { redis, ledger } = options;
  const prefix = options.prefix ?? "tollgate";
  const now = options.now ?? (() => new Date());

  const slotOf = (tenantId: string, key: CounterKey, o: CounterWindowOptions): CounterSlot => {
    const period = windowPeriod(key.window, o.at ?? now(), o.timeZone);
    const counter = `cap:${period.id}:${key.key}`;
    return { name: `${prefix}:cap:{${tenantId}}:${period.id}:${key.key}`, counter, ttlSeconds: period.ttlSeconds };
  };

  async function consumeMany(
    tenantId: string,
    items: readonly (readonly CounterKey[])[],
    o: CounterWindowOptions,
    eventIds?: readonly (string | undefined)[],
  ): Promise<ConsumeResult[]> {
    const keys: string[] = [];
    const slots: CounterSlot[] = [];
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
        const slot = slotOf(tenantId, k, o);
        let i = index.get(slot.name);
        if (i === undefined) {
          i = keys.push(slot.name);
          index.set(slot.name, i);
          slots[i] = slot;
        }
        args.push(i, k.limit, slot.ttlSeconds);
      }
    }
    if (unique.every((item) => item.length === 0)) return items.map(() => ({ ok: true }));
    let replies: number[][] = [];
    for (let round = 0; round <= REBUILD_ROUNDS; round++) {
      const rebuild = ledger !== undefined && round < REBUILD_ROUNDS ? 1 : 0;
      replies = (await runScript(redis, CONSUME_SCRIPT, keys, [rebuild, ...args])) as number[][];
      if (replies[0]?.[0] !== -1) break;
      await rebuildCounters(
        redis,
        ledger!,
        tenantId,
        replies[0]!.slice(1).map((i) => slots[i]!),
      );
    }
    const results = replies.map((reply, i): ConsumeResult => {
      if (reply[0] === 1) return { ok: true };
      const counters: Record<string, number> = {};
      unique[i]!.forEach((k, j) => (counters[k.key] = Number(reply[j + 1] ?? 0)));
      return { ok: false, counters };
    });
    if (ledger)
      await ledger.record(
        tenantId,
        counted(unique, results, eventIds, (k) => slotOf(tenantId, k, o), now()),
      );
    return results;
  }

  return {
    async snapshot(tenantId, keys, o) {
      if (keys.length === 0) return {};
      const slots = keys.map((k) => slotOf(tenantId, k, o));
      let values = await redis.mget(...slots.map((s) => s.name));
      if (ledger && values.some((v) => v === null)) {
        await rebuildCounters(
          redis,
          ledger,
          tenantId,
          slots.filter((_, i) => values[i] === null),
        );
        values = await redis.mget(...slots.map((s) => s.name));
      }
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

/** The ledger rows of what fit: one per counter per event (an action without an event id is its own). */
function counted(
  items: readonly (readonly CounterKey[])[],
  results: readonly ConsumeResult[],
  eventIds: readonly (string | undefined)[] | undefined,
  slotOf: (k: CounterKey) => CounterSlot,
  at: Date,
): LedgerEntry[] {
  return items.flatMap((item, i) => {
    if (!results[i]!.ok) return [];
    const eventKey = eventIds?.[i] ?? randomUUID();
    return item.map((k) => {
      const slot = slotOf(k);
      return { counter: slot.counter, eventKey, expiresAt: new Date(at.getTime() + slot.ttlSeconds * 1000) };
    });
  });
}

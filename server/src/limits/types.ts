import type { Redis } from "ioredis";
import type { CounterKey, CountersSnapshot } from "../policy/index.js";
import type { CounterLedger } from "./create-counter-ledger.js";

export interface CounterStoreOptions {
  /** A connection the store shares; it never closes it. */
  redis: Redis;
  /**
   * Namespaces the keys: `<prefix>:cap:{<tenant>}:<period>:<counter>`.
   * @defaultValue `"tollgate"`
   */
  prefix?: string;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /**
   * Where counted events are kept in PostgreSQL, so counters lost with Redis are rebuilt for
   * their current windows. Without it a lost counter starts at 0.
   */
  ledger?: CounterLedger;
}

export interface CounterWindowOptions {
  /** The tenant's IANA zone (policy `timezone`): which calendar day and hour it is. */
  timeZone: string;
  /** The moment counted. @defaultValue `now()` */
  at?: Date;
}

/** What `consume` found: the counters fit (and were incremented), or their values when one did not. */
export type ConsumeResult = { ok: true } | { ok: false; counters: CountersSnapshot };

/**
 * Cap counters (requirements R8) in Redis. `decide` reads a snapshot; `consume` is the atomic
 * step that makes a decision stick: it increments every counter of an action only if each is
 * still under its limit, so concurrent batches can never overshoot a cap.
 */
export interface CounterStore {
  /** Current values of `keys` in their current periods, by `CounterKey.key` (missing = 0). */
  snapshot(tenantId: string, keys: readonly CounterKey[], options: CounterWindowOptions): Promise<CountersSnapshot>;
  /** One action: increments all of `keys` if every one stays within its limit, else none. */
  consume(tenantId: string, keys: readonly CounterKey[], options: CounterWindowOptions): Promise<ConsumeResult>;
  /**
   * Several actions, in order, in one round trip; later ones see earlier ones' increments. With
   * `eventIds`, an action already counted for its event id (a retried batch) counts as fitting and
   * increments nothing again.
   */
  consumeMany(
    tenantId: string,
    items: readonly (readonly CounterKey[])[],
    options: CounterWindowOptions,
    eventIds?: readonly (string | undefined)[],
  ): Promise<ConsumeResult[]>;
}

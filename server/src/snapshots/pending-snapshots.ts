import type { Sql } from "../db/index.js";
import type { SnapshotStore } from "./snapshot-store.js";
import { propertyKey, type LatestValue, type ObservedValue, type PropertyRef } from "./types.js";

/**
 * A snapshot store whose writes wait for the caller's transaction: `record` without a
 * transaction keeps the values pending, reads see the stored values and the pending ones as if
 * they were written, and `commit(tx)` writes them. Enforcement plans with a batch's values this
 * way and commits them with its decisions, so a crash between cannot leave one without the other.
 */
export interface PendingSnapshots extends SnapshotStore {
  /** Writes the pending values in `tx` (the enforcement transaction). */
  commit(tx: Sql): Promise<void>;
}

const toLatest = (v: ObservedValue): LatestValue => ({
  objectType: v.objectType,
  objectId: v.objectId,
  property: v.property,
  value: v.value,
  occurredAt: v.occurredAt,
  actorType: v.actorType,
  actorId: v.actorId,
  trusted: v.trusted,
});

export function withPendingSnapshots(store: SnapshotStore): PendingSnapshots {
  const pending: ObservedValue[] = [];
  const eventKeys = new Set<string>();

  /** The later of what is stored and what is pending (a pending value was recorded after every stored one). */
  function overlay(
    stored: Map<string, LatestValue>,
    refs: readonly (PropertyRef & { before?: Date })[],
    accept: (v: ObservedValue) => boolean,
  ): Map<string, LatestValue> {
    const out = new Map(stored);
    for (const ref of refs) {
      const key = propertyKey(ref);
      for (const v of pending) {
        if (propertyKey(v) !== key || !accept(v)) continue;
        if (ref.before !== undefined && v.occurredAt >= ref.before) continue;
        const best = out.get(key);
        if (best === undefined || v.occurredAt >= best.occurredAt) out.set(key, toLatest(v));
      }
    }
    return out;
  }

  return {
    async record(values, sql) {
      if (sql !== undefined) return store.record(values, sql);
      // Like the store: a value already recorded under the same event key is ignored.
      for (const v of values) if (!eventKeys.has(v.eventKey) && eventKeys.add(v.eventKey)) pending.push(v);
    },
    async trustedValuesBefore(tenantId, refs) {
      return overlay(await store.trustedValuesBefore(tenantId, refs), refs, (v) => v.trusted);
    },
    async valuesBefore(tenantId, refs) {
      return overlay(await store.valuesBefore(tenantId, refs), refs, () => true);
    },
    async latestValues(tenantId, refs) {
      return overlay(await store.latestValues(tenantId, refs), refs, () => true);
    },
    async hasAnyValue(tenantId) {
      return pending.some((v) => v.tenantId === tenantId) || store.hasAnyValue(tenantId);
    },
    async commit(tx) {
      await store.record(pending, tx);
    },
  };
}

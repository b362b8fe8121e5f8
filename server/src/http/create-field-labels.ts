import { LRUCache } from "lru-cache";
import type { CrmConnector } from "../crm/index.js";

/** The CRM's labels of an object type's properties, by internal name (`jobtitle` → `Job title`). */
export type FieldLabelLookup = (tenantId: string, objectType: string) => Promise<ReadonlyMap<string, string>>;

export interface FieldLabelLookupOptions {
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /** How long a portal's labels are trusted (renames show within it). At most 5 minutes. @defaultValue 300_000 */
  ttlMs?: number;
  /** @defaultValue 1_000 */
  max?: number;
}

/**
 * Property labels read through `CrmConnector.listProperties`, cached per tenant and object type.
 * When the CRM cannot say (an error, an unknown object type), the answer is empty and the cards
 * fall back to the internal name; failures are not cached.
 */
export function createFieldLabelLookup(options: FieldLabelLookupOptions): FieldLabelLookup {
  const cache = new LRUCache<string, ReadonlyMap<string, string>>({
    max: options.max ?? 1_000,
    ttl: Math.min(options.ttlMs ?? 300_000, 300_000),
  });
  return async (tenantId, objectType) => {
    const key = `${tenantId}\u0000${objectType}`;
    const hit = cache.get(key);
    if (hit) return hit;
    try {
      const properties = await (await options.connectorFor(tenantId)).listProperties(objectType);
      const labels = new Map(properties.filter((p) => p.label).map((p) => [p.name, p.label]));
      cache.set(key, labels);
      return labels;
    } catch {
      return new Map();
    }
  };
}

/**
 * Adds `fieldLabel` (docs/contracts.md#http-api) to wire items naming a field of a record: the CRM's label,
 * or the internal name when the CRM has none. Without a lookup the items are returned as they are.
 */
export async function withFieldLabels<T extends { field: string | null }>(
  lookup: FieldLabelLookup | undefined,
  tenantId: string,
  items: readonly T[],
  objectTypeOf: (item: T) => string,
): Promise<(T & { fieldLabel?: string | null })[]> {
  if (!lookup) return [...items];
  const types = [...new Set(items.filter((i) => i.field !== null).map(objectTypeOf))];
  const labels = new Map(await Promise.all(types.map(async (t) => [t, await lookup(tenantId, t)] as const)));
  return items.map((i) => ({
    ...i,
    fieldLabel: i.field === null ? null : (labels.get(objectTypeOf(i))?.get(i.field) ?? i.field),
  }));
}

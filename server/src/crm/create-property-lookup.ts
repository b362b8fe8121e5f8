import { LRUCache } from "lru-cache";
import type { CrmConnector, PropertyDefinition } from "./connector.js";

export interface PropertyLookup {
  /**
   * The CRM's property definitions of an object type, by internal name, or `undefined` when the
   * CRM cannot say (an error, an unknown object type); failures are not cached.
   */
  definitions(tenantId: string, objectType: string): Promise<ReadonlyMap<string, PropertyDefinition> | undefined>;
  /**
   * Whether the CRM marks a property's values sensitive (HubSpot `dataSensitivity`). When the
   * definitions cannot be read the answer is `true`: a value that may be sensitive is hashed in the
   * audit rather than stored (docs/contracts.md#audit-event).
   */
  isSensitive(tenantId: string, objectType: string, property: string): Promise<boolean>;
}

export interface PropertyLookupOptions {
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /** How long a portal's definitions are trusted (renames and new marks show within it). At most 5 minutes. */
  ttlMs?: number;
  /** @defaultValue 1_000 */
  max?: number;
}

/** Property definitions read through `CrmConnector.listProperties`, cached per tenant and object type. */
export function createPropertyLookup(options: PropertyLookupOptions): PropertyLookup {
  const cache = new LRUCache<string, ReadonlyMap<string, PropertyDefinition>>({
    max: options.max ?? 1_000,
    ttl: Math.min(options.ttlMs ?? 300_000, 300_000),
  });
  async function definitions(tenantId: string, objectType: string) {
    const key = `${tenantId}\u0000${objectType}`;
    const hit = cache.get(key);
    if (hit) return hit;
    try {
      const properties = await (await options.connectorFor(tenantId)).listProperties(objectType);
      const byName = new Map(properties.map((p) => [p.name, p]));
      cache.set(key, byName);
      return byName;
    } catch {
      return undefined;
    }
  }
  return {
    definitions,
    async isSensitive(tenantId, objectType, property) {
      const known = await definitions(tenantId, objectType);
      return known ? known.get(property)?.sensitive === true : true;
    },
  };
}

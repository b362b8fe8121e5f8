import { createPropertyLookup, type PropertyLookup, type PropertyLookupOptions } from "../crm/index.js";

/** The CRM's labels of an object type's properties, by internal name (`jobtitle` → `Job title`). */
export type FieldLabelLookup = (tenantId: string, objectType: string) => Promise<ReadonlyMap<string, string>>;

/** The definitions to read labels from: shared with the gate's sensitivity check, or a lookup of its own. */
export type FieldLabelLookupOptions = PropertyLookupOptions | { properties: PropertyLookup };

/**
 * Property labels read through `CrmConnector.listProperties`, cached per tenant and object type.
 * When the CRM cannot say (an error, an unknown object type), the answer is empty and the cards
 * fall back to the internal name; failures are not cached.
 */
export function createFieldLabelLookup(options: FieldLabelLookupOptions): FieldLabelLookup {
  const properties = "properties" in options ? options.properties : createPropertyLookup(options);
  return async (tenantId, objectType) => {
    const known = await properties.definitions(tenantId, objectType);
    return new Map([...(known?.values() ?? [])].filter((p) => p.label).map((p) => [p.name, p.label]));
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

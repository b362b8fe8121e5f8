import { HUBSPOT_OBJECTS } from "../../../../shared/crm-objects.js";

/**
 * HubSpot names one object type three ways: the API name (`contacts`), the object type id
 * (`0-1`, what generic `object.*` webhooks carry) and the legacy singular (`contact`, the
 * prefix of `contact.propertyChange`). Its API paths accept the first two.
 */
const KNOWN = Object.values(HUBSPOT_OBJECTS).filter((o) => o !== undefined);

/** `0-1`, `contact` or `contacts` → `contacts`; a type it does not know (custom `2-…`) comes back unchanged. */
export function toHubSpotObjectName(objectType: string): string {
  const t = objectType.toLowerCase();
  return KNOWN.find((o) => o.name === t || o.typeId === t || o.legacy === t)?.name ?? objectType;
}

/** `contacts`, `contact` or `0-1` → `0-1`; a type it does not know comes back unchanged. */
export function toHubSpotObjectTypeId(objectType: string): string {
  const t = objectType.toLowerCase();
  return KNOWN.find((o) => o.name === t || o.typeId === t || o.legacy === t)?.typeId ?? objectType;
}

/** `contacts` → `contact` for the legacy webhook types; `undefined` for objects without one. */
export function toHubSpotLegacyName(objectType: string): string | undefined {
  const t = objectType.toLowerCase();
  return KNOWN.find((o) => o.name === t || o.typeId === t || o.legacy === t)?.legacy;
}

import { findHubSpotObject } from "../../../../shared/index.js";

/** `0-1`, `contact` or `contacts` → `contacts`; a type it does not know (custom `2-…`) comes back unchanged. */
export function toHubSpotObjectName(objectType: string): string {
  return findHubSpotObject(objectType)?.name ?? objectType;
}

/** `contacts`, `contact` or `0-1` → `0-1`; a type it does not know comes back unchanged. */
export function toHubSpotObjectTypeId(objectType: string): string {
  return findHubSpotObject(objectType)?.typeId ?? objectType;
}

/** `contacts` → `contact` for the legacy webhook types; `undefined` for objects without one. */
export function toHubSpotLegacyName(objectType: string): string | undefined {
  return findHubSpotObject(objectType)?.legacy;
}

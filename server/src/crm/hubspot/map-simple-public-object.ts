import type { CrmRecord, PropertyHistoryEntry } from "../connector.js";
import type { HubSpotSimplePublicObject, HubSpotValueWithTimestamp } from "./types.js";

/**
 * HubSpot record → `CrmRecord`. Every requested property is present (`null` when unset), and an
 * empty string (how HubSpot spells "cleared") reads as `null`, so callers compare one "no value".
 */
export function mapSimplePublicObject(
  objectType: string,
  object: HubSpotSimplePublicObject,
  requested: readonly string[],
  withHistory: boolean,
): CrmRecord {
  const properties: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(object.properties ?? {})) properties[name] = emptyToNull(value);
  for (const name of requested) if (!(name in properties)) properties[name] = null;
  const record: CrmRecord = { objectType, objectId: String(object.id), properties };
  if (withHistory) {
    record.history = {};
    for (const name of requested) record.history[name] = mapHistory(object.propertiesWithHistory?.[name] ?? []);
  }
  return record;
}

/** Newest first, whatever order the entries came in (HubSpot sends newest first, but does not promise it). */
export function mapHistory(entries: readonly HubSpotValueWithTimestamp[]): PropertyHistoryEntry[] {
  return entries
    .map((e, index) => ({ index, at: Date.parse(e.timestamp), entry: toEntry(e) }))
    .sort((a, b) => b.at - a.at || a.index - b.index)
    .map((x) => x.entry);
}

function toEntry(e: HubSpotValueWithTimestamp): PropertyHistoryEntry {
  const at = Date.parse(e.timestamp);
  return {
    value: emptyToNull(e.value),
    timestamp: Number.isFinite(at) ? new Date(at).toISOString() : String(e.timestamp),
    sourceType: e.sourceType,
    sourceId: e.sourceId ?? undefined,
  };
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" ? null : String(value);
}

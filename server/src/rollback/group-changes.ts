import { propertyKey } from "../snapshots/index.js";
import type { AgentChange } from "./types.js";

/** The selected changes of one record field, earliest first. */
export interface FieldChanges {
  key: string;
  earliest: AgentChange;
  latest: AgentChange;
  changes: AgentChange[];
}

/** Groups changes by (record, field); within a group, in the order they happened. */
export function groupChanges(changes: readonly AgentChange[]): FieldChanges[] {
  const groups = new Map<string, AgentChange[]>();
  for (const c of changes) {
    const key = propertyKey({ objectType: c.objectType, objectId: c.objectId, property: c.field });
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].map(([key, list]) => {
    const sorted = [...list].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.order - b.order);
    return { key, earliest: sorted[0]!, latest: sorted[sorted.length - 1]!, changes: sorted };
  });
}

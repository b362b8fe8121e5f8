import { propertyKey, type SnapshotStore } from "../snapshots/index.js";

interface GuardedRow {
  id: string;
  tenantId: string;
  objectType: string;
  objectId: string;
  expected: Record<string, string | null> | null;
}

/**
 * The last check before a write leaves (docs/contracts.md#rules-that-never-bend: never fight a human): a row that
 * expects a
 * property to still hold a value is skipped when a trusted writer — a person, an allowed agent —
 * has since set something else. Untrusted agent values and Tollgate's own do not block.
 */
export function createConflictGuard(snapshots: SnapshotStore): (rows: GuardedRow[]) => Promise<Map<string, string>> {
  return async (rows) => {
    const skip = new Map<string, string>();
    const byTenant = new Map<string, GuardedRow[]>();
    for (const r of rows) if (r.expected) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
    for (const [tenantId, group] of byTenant) {
      const refs = group.flatMap((r) =>
        Object.keys(r.expected!).map((property) => ({ objectType: r.objectType, objectId: r.objectId, property })),
      );
      const latest = await snapshots.latestValues(tenantId, refs);
      for (const r of group) {
        for (const [property, expected] of Object.entries(r.expected!)) {
          const now = latest.get(propertyKey({ objectType: r.objectType, objectId: r.objectId, property }));
          if (!now || !now.trusted || now.actorType === "tollgate") continue;
          if ((now.value ?? "") !== (expected ?? "")) {
            skip.set(
              r.id,
              `conflict: ${property} is now ${JSON.stringify(now.value)} (set by ${now.actorId ?? now.actorType}), expected ${JSON.stringify(expected)}`,
            );
            break;
          }
        }
      }
    }
    return skip;
  };
}

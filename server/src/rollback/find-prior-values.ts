import type { SnapshotStore } from "../snapshots/index.js";
import type { FieldChanges } from "./group-changes.js";
import type { PriorValue } from "./plan-restores.js";
import type { RollbackServiceOptions } from "./types.js";

/**
 * For each field, the value before the agent's first selected change: what the apply recorded
 * it was planned against, else the latest trusted value Tollgate saw before, else (when given
 * a way to read it) the CRM's property history. A field never seen and unreadable is unknown —
 * restoring a guess could wipe real data.
 */
export async function findPriorValues(
  snapshots: SnapshotStore,
  readHistory: RollbackServiceOptions["readHistory"],
  tenantId: string,
  groups: readonly FieldChanges[],
): Promise<Map<string, PriorValue>> {
  const out = new Map<string, PriorValue>();
  const needSnapshot: FieldChanges[] = [];
  for (const g of groups) {
    if (g.earliest.before !== undefined) out.set(g.key, { known: true, value: g.earliest.before });
    else needSnapshot.push(g);
  }
  const seen = await snapshots.trustedValuesBefore(
    tenantId,
    needSnapshot.map((g) => ({
      objectType: g.earliest.objectType,
      objectId: g.earliest.objectId,
      property: g.earliest.field,
      before: g.earliest.occurredAt,
    })),
  );
  const missing: FieldChanges[] = [];
  for (const g of needSnapshot) {
    const v = seen.get(g.key);
    if (v) out.set(g.key, { known: true, value: v.value });
    else missing.push(g);
  }
  if (missing.length === 0) return out;
  if (!readHistory) {
    for (const g of missing)
      out.set(g.key, { known: false, reason: "Tollgate never saw the value before the agent's change" });
    return out;
  }
  const byType = new Map<string, FieldChanges[]>();
  for (const g of missing) byType.set(g.earliest.objectType, [...(byType.get(g.earliest.objectType) ?? []), g]);
  for (const [objectType, list] of byType) {
    const ids = [...new Set(list.map((g) => g.earliest.objectId))];
    const props = [...new Set(list.map((g) => g.earliest.field))];
    try {
      const records = new Map((await readHistory(tenantId, objectType, ids, props)).map((r) => [r.objectId, r]));
      for (const g of list) {
        const record = records.get(g.earliest.objectId);
        if (!record) {
          out.set(g.key, { known: false, reason: "record not found in the CRM" });
          continue;
        }
        const at = g.earliest.occurredAt.getTime();
        const before = (record.history?.[g.earliest.field] ?? [])
          .filter((h) => Date.parse(h.timestamp) < at)
          .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))[0];
        // History read and nothing before the agent: the field was empty.
        out.set(g.key, { known: true, value: before ? before.value : null });
      }
    } catch (err) {
      for (const g of list) out.set(g.key, { known: false, reason: `history read failed: ${(err as Error).message}` });
    }
  }
  return out;
}

import type { LatestValue } from "../snapshots/index.js";
import type { FieldChanges } from "./group-changes.js";
import type { PlannedRestore, RollbackConflict, UnrestorableChange } from "./types.js";

/** What is known about the value of a field before the agent's first selected change. */
export type PriorValue = { known: true; value: string | null } | { known: false; reason: string };

export interface RestorePlan {
  planned: (PlannedRestore & { crm: FieldChanges["latest"]["crm"]; expected: string | null })[];
  conflicts: RollbackConflict[];
  unrestorable: UnrestorableChange[];
}

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? "") === (b ?? "");

/**
 * The pure half of rollback: for each field, restore the value before the EARLIEST selected
 * change, unless the record no longer holds what the agent wrote (the LATEST selected change) —
 * then someone moved on, and docs/contracts.md#rules-that-never-bend says report it rather than overwrite them. `force`
 * (an
 * owner's call) restores anyway.
 */
export function planRestores(
  groups: readonly FieldChanges[],
  priors: ReadonlyMap<string, PriorValue>,
  latest: ReadonlyMap<string, LatestValue>,
  force: boolean,
): RestorePlan {
  const out: RestorePlan = { planned: [], conflicts: [], unrestorable: [] };
  for (const g of groups) {
    const { latest: last } = g;
    const where = { eventId: last.eventId, objectType: last.objectType, objectId: last.objectId, field: last.field };
    const prior = priors.get(g.key);
    if (!prior || !prior.known) {
      out.unrestorable.push({
        ...where,
        reason: prior && !prior.known ? prior.reason : "the value before the agent's change is not known",
      });
      continue;
    }
    // Nothing to undo: the agent's changes left the field as it was.
    if (same(prior.value, last.after)) continue;
    const now = latest.get(g.key);
    const conflict = now !== undefined && !same(now.value, last.after);
    if (conflict) {
      out.conflicts.push({
        ...where,
        current: now.value,
        expected: last.after,
        changedBy: now.actorId ?? now.actorType,
      });
      if (!force) continue;
    }
    out.planned.push({
      ...where,
      restoreTo: prior.value,
      undoes: g.changes.map((c) => c.eventId),
      ...(conflict ? { forced: true } : {}),
      crm: last.crm,
      expected: last.after,
    });
  }
  return out;
}

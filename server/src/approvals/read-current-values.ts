import type { CrmConnector } from "../crm/index.js";
import { propertyKey, type LatestValue, type SnapshotStore } from "../snapshots/index.js";
import type { StoredApproval } from "./approval-store.js";
import type { CurrentValue } from "./plan-decision.js";

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? "") === (b ?? "");
const keyOf = (a: StoredApproval) => propertyKey({ objectType: a.objectType, objectId: a.objectId, property: a.field });

/**
 * Whether each approval's canonical field still holds the value shown with the proposal
 * (docs/contracts.md#rules-that-never-bend: applies never fight a human). The latest trusted snapshot answers when it
 * agrees,
 * or when it disagrees and is newer than the proposal. Otherwise — nothing observed, or an older
 * observation that disagrees with what the proposal read — one CRM read per object type decides.
 * An untrusted value (an agent's disallowed write, about to be reverted) does not count.
 */
export async function readCurrentValues(
  deps: { snapshots: SnapshotStore; connectorFor?: ((tenantId: string) => Promise<CrmConnector>) | undefined },
  tenantId: string,
  approvals: readonly StoredApproval[],
  now: Date,
): Promise<Map<string, CurrentValue>> {
  const out = new Map<string, CurrentValue>();
  if (approvals.length === 0) return out;
  const refs = approvals.map((a) => ({ objectType: a.objectType, objectId: a.objectId, property: a.field }));
  const latest = await deps.snapshots.latestValues(tenantId, refs);
  const untrusted = approvals.filter((a) => latest.get(keyOf(a))?.trusted === false);
  if (untrusted.length > 0) {
    const trusted = await deps.snapshots.trustedValuesBefore(
      tenantId,
      untrusted.map((a) => ({
        objectType: a.objectType,
        objectId: a.objectId,
        property: a.field,
        before: new Date(now.getTime() + 1000),
      })),
    );
    for (const a of untrusted) {
      const t = trusted.get(keyOf(a));
      if (t) latest.set(keyOf(a), t);
      else latest.delete(keyOf(a));
    }
  }

  const toRead: StoredApproval[] = [];
  for (const a of approvals) {
    const seen: LatestValue | undefined = latest.get(keyOf(a));
    if (seen && same(seen.value, a.currentValue)) out.set(a.id, { state: "same" });
    else if (seen && seen.occurredAt.getTime() >= new Date(a.createdAt).getTime())
      out.set(a.id, { state: "changed", value: seen.value, by: seen.actorId ?? seen.actorType });
    else toRead.push(a);
  }
  if (toRead.length === 0) return out;

  if (!deps.connectorFor) {
    // No CRM to ask: an older observation that disagrees is the only evidence, so it wins
    // (fail closed); with no observation at all, the write queue's guard checks at send time.
    for (const a of toRead) {
      const seen = latest.get(keyOf(a));
      out.set(
        a.id,
        seen ? { state: "changed", value: seen.value, by: seen.actorId ?? seen.actorType } : { state: "unknown" },
      );
    }
    return out;
  }

  const byType = new Map<string, StoredApproval[]>();
  for (const a of toRead) byType.set(a.objectType, [...(byType.get(a.objectType) ?? []), a]);
  let connector: CrmConnector;
  try {
    connector = await deps.connectorFor(tenantId);
  } catch (err) {
    for (const a of toRead) out.set(a.id, { state: "unavailable", error: (err as Error).message });
    return out;
  }
  for (const [objectType, group] of byType) {
    try {
      const records = await connector.readRecords(
        objectType,
        [...new Set(group.map((a) => a.objectId))],
        [...new Set(group.map((a) => a.field))],
      );
      const byId = new Map(records.map((r) => [r.objectId, r.properties]));
      for (const a of group) {
        const props = byId.get(a.objectId);
        if (!props) out.set(a.id, { state: "changed", value: null, by: "record not found in the CRM" });
        else if (same(props[a.field], a.currentValue)) out.set(a.id, { state: "same" });
        else out.set(a.id, { state: "changed", value: props[a.field] ?? null, by: "crm" });
      }
    } catch (err) {
      for (const a of group) out.set(a.id, { state: "unavailable", error: (err as Error).message });
    }
  }
  return out;
}

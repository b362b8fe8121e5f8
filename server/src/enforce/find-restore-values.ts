import { CrmError } from "../crm/index.js";
import { propertyKey, type ObservedValue } from "../snapshots/index.js";
import { attributeChange } from "./attribute-change.js";
import type { Actor, CrmChange, EnforcementDeps, PolicyPort } from "./types.js";

export interface RevertTarget {
  change: CrmChange;
  actor: Actor;
}

export type RestoreValue =
  | { state: "restore"; value: string | null }
  /**
   * Someone else changed the field after the agent: never overwrite a person (docs/contracts.md#rules-that-never-bend).
   */
  | { state: "conflict"; currentValue: string | null; changedBy: string }
  /** The prior value can never be learned (record gone, a request the CRM refuses). */
  | { state: "unknown"; error: string };

/**
 * For each disallowed write, the value to put back: the latest trusted value before it. Known
 * values come from the snapshot store; only properties never seen before cost a CRM history
 * read, batched per object type.
 */
export async function findRestoreValues(
  deps: EnforcementDeps,
  policy: PolicyPort,
  tenantId: string,
  targets: readonly RevertTarget[],
): Promise<Map<string, RestoreValue>> {
  const refs = targets.map((t) => ({
    objectType: t.change.objectType,
    objectId: t.change.objectId,
    property: t.change.property!,
    before: t.change.occurredAt,
  }));
  let priors = await deps.snapshots.trustedValuesBefore(tenantId, refs);

  const missing = targets.filter((t) => !priors.has(keyOf(t.change)));
  const unreadable = new Map<string, string>();
  if (missing.length > 0) {
    const learned = await learnFromHistory(deps, policy, tenantId, missing, unreadable);
    if (learned > 0) priors = await deps.snapshots.trustedValuesBefore(tenantId, refs);
  }

  const latest = await deps.snapshots.latestValues(tenantId, refs);
  const out = new Map<string, RestoreValue>();
  for (const t of targets) {
    const key = keyOf(t.change);
    const now = latest.get(key);
    // A later value from anyone but an untrusted agent write means a person (or another process) moved on;
    // a baseline that merely read the agent's own value back changed nothing.
    const movedOn =
      now !== undefined &&
      now.occurredAt > t.change.occurredAt &&
      now.trusted &&
      now.actorType !== "tollgate" &&
      !(now.actorType === "baseline" && now.value === (t.change.value ?? null));
    if (now && movedOn) {
      out.set(key, { state: "conflict", currentValue: now.value, changedBy: now.actorId ?? now.actorType });
      continue;
    }
    const prior = priors.get(key);
    if (prior) out.set(key, { state: "restore", value: prior.value });
    else if (unreadable.has(key)) out.set(key, { state: "unknown", error: unreadable.get(key)! });
    // History read and nothing before the agent's write: the field was empty.
    else out.set(key, { state: "restore", value: null });
  }
  return out;
}

const isPermanent = (err: unknown): boolean =>
  err instanceof CrmError && (err.crmCode === "not_found" || err.crmCode === "bad_request");

const keyOf = (c: CrmChange) => propertyKey({ objectType: c.objectType, objectId: c.objectId, property: c.property! });

async function learnFromHistory(
  deps: EnforcementDeps,
  policy: PolicyPort,
  tenantId: string,
  missing: readonly RevertTarget[],
  unreadable: Map<string, string>,
): Promise<number> {
  const byType = new Map<string, RevertTarget[]>();
  for (const t of missing) byType.set(t.change.objectType, [...(byType.get(t.change.objectType) ?? []), t]);
  let learned = 0;
  for (const [objectType, group] of byType) {
    const ids = [...new Set(group.map((t) => t.change.objectId))];
    const props = [...new Set(group.map((t) => t.change.property!))];
    let records;
    try {
      records = await deps.readRecords(tenantId, objectType, ids, props, true);
    } catch (err) {
      // A brief CRM error (429, 5xx, network, an expired token) must not leave a disallowed write
      // in place: throwing fails the batch before anything commits, and its job is retried. Only
      // a request the CRM can never answer makes the prior value unknown.
      if (!isPermanent(err)) throw err;
      for (const t of group) unreadable.set(keyOf(t.change), `history read failed: ${(err as Error).message}`);
      continue;
    }
    const found = new Map(records.map((r) => [r.objectId, r]));
    const values: ObservedValue[] = [];
    for (const t of group) {
      const record = found.get(t.change.objectId);
      if (!record) {
        unreadable.set(keyOf(t.change), "record not found in the CRM");
        continue;
      }
      const offender = t.actor.type === "agent" ? t.actor.agentId : undefined;
      for (const h of record.history?.[t.change.property!] ?? []) {
        // Attribute each history entry the way a webhook would be, so the offender's values stay untrusted.
        const who = attributeChange(
          {
            ...t.change,
            value: h.value,
            occurredAt: new Date(h.timestamp),
            // HubSpot names the writer in sourceId; Salesforce's history names its user (CreatedById).
            source: { changeSource: h.sourceType, sourceId: h.sourceId, userId: h.sourceId },
          },
          policy,
          deps.self,
        );
        values.push({
          tenantId,
          crm: t.change.crm,
          objectType,
          objectId: t.change.objectId,
          property: t.change.property!,
          value: h.value,
          occurredAt: new Date(h.timestamp),
          actorType: who.type,
          actorId: who.type === "agent" ? who.agentId : who.type === "tollgate" ? null : who.id,
          trusted: !(who.type === "agent" && who.agentId === offender),
          eventKey: `history:${objectType}:${t.change.objectId}:${t.change.property}:${h.timestamp}:${h.sourceId ?? h.sourceType}`,
          sensitive: t.change.sensitive,
        });
      }
    }
    await deps.snapshots.record(values);
    learned += values.length;
  }
  return learned;
}

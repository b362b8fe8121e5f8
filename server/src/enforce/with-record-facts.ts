import type { PolicyObject } from "../../../shared/index.js";
import { readRecordFacts, targetKey, type FactTarget } from "../record-facts/index.js";
import type { RecordFacts } from "../policy/index.js";
import type { Actor, CrmChange, EnforcementDeps, PolicyPort } from "./types.js";

/**
 * The webhook path's half of "exceptions from CRM data" (docs/policy.md): for every agent write
 * whose rule names a record-fact exception (named account, regulated industry, exec persona),
 * reads what the CRM says about the record and its company — once per batch — and returns the
 * policy deciding with those facts. The agent's own flags play no part here: it sends none.
 */
export async function withRecordFacts(
  deps: Pick<EnforcementDeps, "readRecords">,
  policy: PolicyPort,
  tenantId: string,
  attributed: readonly { change: CrmChange; actor: Actor }[],
): Promise<PolicyPort> {
  if (!policy.needsRecordFacts || !policy.recordFactProperties || !policy.withRecordFacts) return policy;
  const targets = new Map<string, FactTarget & { object: PolicyObject }>();
  for (const { change, actor } of attributed) {
    if (actor.type !== "agent" || change.property === undefined || change.policyObject === undefined) continue;
    const field = policy.canonicalOfShadow(change.property) ?? change.property;
    const input = {
      agentId: actor.agentId,
      object: change.policyObject,
      field,
      viaShadow: field !== change.property,
      value: change.value ?? null,
      recordId: change.objectId,
      at: change.occurredAt,
    };
    if (!policy.needsRecordFacts(input)) continue;
    const target = {
      crm: change.crm,
      object: change.policyObject,
      objectType: change.objectType,
      objectId: change.objectId,
    };
    targets.set(targetKey(target), target);
  }
  if (targets.size === 0) return policy;
  const list = [...targets.values()];
  const read = (objectType: string, ids: string[], properties: string[]) =>
    deps.readRecords(tenantId, objectType, ids, properties, false);
  const facts = await readRecordFacts(policy.recordFactProperties(list[0]!.crm), read, list);
  const byObject = new Map<string, RecordFacts>();
  for (const t of list) {
    const f = facts.get(targetKey(t));
    if (f) byObject.set(`${t.object}/${t.objectId}`, f);
  }
  return policy.withRecordFacts(byObject);
}

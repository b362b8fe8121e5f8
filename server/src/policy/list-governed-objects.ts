import { toCrmObjectType, type CrmName, type PolicyObject } from "../../../shared/index.js";
import { listGovernedFields } from "./list-governed-fields.js";
import type { CompiledPolicy } from "./types.js";

/** The governed fields of one CRM object type. */
export interface GovernedObject {
  /** The CRM's API name (`contacts`, `Lead`). */
  objectType: string;
  /** The policy's name for it (`contact`). */
  policyObject: PolicyObject;
  /** Field names, each once, in the policy's order. */
  properties: string[];
}

/**
 * The policy's governed fields grouped by the CRM's object type — what the baseline reads and
 * the reconciler sweeps. Objects the CRM has no type for are left out.
 */
export function listGovernedObjects(policy: CompiledPolicy, crm: CrmName): GovernedObject[] {
  const byObject = new Map<string, GovernedObject>();
  for (const f of listGovernedFields(policy)) {
    const objectType = toCrmObjectType(crm, f.object);
    if (!objectType) continue;
    const entry = byObject.get(objectType) ?? { objectType, policyObject: f.object, properties: [] };
    if (!entry.properties.includes(f.field)) entry.properties.push(f.field);
    byObject.set(objectType, entry);
  }
  return [...byObject.values()];
}

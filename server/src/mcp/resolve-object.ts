import {
  POLICY_OBJECTS,
  toCrmObjectType,
  toPolicyObject,
  type CrmName,
  type PolicyObject,
} from "../../../shared/index.js";

/**
 * `objectType` as the CRM's API names it (`contacts`, `0-1`, `Lead`) or as the policy's generic
 * name (`contact`, `lead`) → both names; `undefined` for a type Tollgate does not govern.
 */
export function resolveObject(
  crm: CrmName,
  objectType: string,
): { object: PolicyObject; crmObjectType: string } | undefined {
  const generic = objectType.toLowerCase();
  const object =
    toPolicyObject(crm, objectType) ??
    ((POLICY_OBJECTS as readonly string[]).includes(generic) ? (generic as PolicyObject) : undefined);
  const crmObjectType = object && toCrmObjectType(crm, object);
  return object && crmObjectType ? { object, crmObjectType } : undefined;
}

import { toCrmObjectType, type CrmName, type PolicyObject } from "../../../shared/index.js";
import type { CrmRecord } from "../crm/index.js";
import type { FactProperties, RecordFacts } from "../policy/index.js";

/** Reads records of one type from the tenant's CRM (the caller binds the tenant). */
export type ReadRecords = (objectType: string, ids: string[], properties: string[]) => Promise<CrmRecord[]>;

/** One record an action targets, whose facts an exception needs. */
export interface FactTarget {
  crm: CrmName;
  object: PolicyObject | string;
  /** The CRM's API name (`contacts`, `Lead`). */
  objectType: string;
  objectId: string;
}

const PERSONS = new Set(["contact", "lead"]);
const COMPANIES = new Set(["company", "account"]);
export const targetKey = (t: { objectType: string; objectId: string }) => `${t.objectType}/${t.objectId}`;

/**
 * Gathers what the CRM says about each target (keyed by `targetKey`) for the record-fact exceptions (docs/policy.md
 * "Exceptions from CRM data"): the person's title and company link, and the company's industry,
 * domain and named-account flag — one batch read per object type, then one for the linked
 * companies. A read that fails leaves the facts unknown (null), which the policy turns into a
 * human decision by default: failing open here would let an unreadable regulated account through.
 */
export async function readRecordFacts(
  props: FactProperties,
  read: ReadRecords,
  targets: readonly FactTarget[],
): Promise<Map<string, RecordFacts>> {
  const out = new Map<string, RecordFacts>();
  if (targets.length === 0) return out;
  const crm = targets[0]!.crm;
  const records = new Map<string, Record<string, string | null> | null>();
  const byType = new Map<string, Set<string>>();
  for (const t of targets) byType.set(t.objectType, (byType.get(t.objectType) ?? new Set()).add(t.objectId));
  for (const [objectType, ids] of byType) {
    const found = await readOrNull(read, objectType, [...ids], props.byObjectType?.[objectType] ?? props.record);
    for (const id of ids) records.set(`${objectType}/${id}`, found === null ? null : (found.get(id) ?? null));
  }

  const companyType = toCrmObjectType(crm, "company")!;
  const linked = new Set<string>();
  for (const t of targets) {
    const link = records.get(targetKey(t))?.[props.companyLink];
    if (!COMPANIES.has(t.object) && link) linked.add(link);
  }
  const companies = linked.size > 0 ? await readOrNull(read, companyType, [...linked], props.company) : new Map();

  for (const t of targets) {
    const record = records.get(targetKey(t)) ?? null;
    if (COMPANIES.has(t.object)) {
      out.set(targetKey(t), { crm, company: record && { id: t.objectId, properties: record } });
      continue;
    }
    const link = record?.[props.companyLink];
    const company = link ? companies?.get(link) : undefined;
    // A person with no linked company may carry the company's fields itself (a Salesforce Lead's Industry).
    const own = record && props.company.some((p) => record[p]) ? { id: null, properties: record } : null;
    out.set(targetKey(t), {
      crm,
      ...(PERSONS.has(t.object) ? { person: record } : {}),
      company: company ? { id: link!, properties: company } : own,
    });
  }
  return out;
}

async function readOrNull(
  read: ReadRecords,
  objectType: string,
  ids: string[],
  properties: string[],
): Promise<Map<string, Record<string, string | null>> | null> {
  try {
    const found = await read(objectType, ids, properties);
    return new Map(found.map((r) => [r.objectId, r.properties]));
  } catch {
    return null;
  }
}

import { toPolicyObject } from "../../../shared/index.js";
import type { SalesforceConnector } from "../crm/salesforce/index.js";
import type { CrmChange } from "../enforce/index.js";
import { historyChanges } from "../reconcile/index.js";
import type { ReconcileRequest } from "./to-crm-changes.js";

/**
 * The changes a CDC event could not carry, read back from the org (docs/salesforce.md,
 * reconciliation): the records named, or every record whose `LastModifiedDate` is at or after
 * `since`, then their governed fields' history since then — each value one change, attributed to
 * the user who made it, keyed as the periodic reconciliation sweep keys it, so reading it twice
 * (or by both) enforces it once.
 */
export async function readReconcileChanges(
  connector: SalesforceConnector,
  tenantId: string,
  request: ReconcileRequest,
  fields: readonly string[],
): Promise<CrmChange[]> {
  const since = request.since ?? new Date(0);
  const ids = request.recordIds ?? (await connector.listChangedSince(request.objectType, since));
  if (ids.length === 0 || fields.length === 0) return [];
  const records = await connector.readRecords(request.objectType, ids, [...fields], { withHistory: true });
  const object = {
    objectType: request.objectType,
    policyObject: toPolicyObject("salesforce", request.objectType),
    properties: [...fields],
  };
  return records
    .flatMap((record) => historyChanges(tenantId, "salesforce", object, record, since))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

import { toPolicyObject } from "../../../shared/index.js";
import type { SalesforceConnector } from "../crm/salesforce/index.js";
import type { CrmChange } from "../enforce/index.js";
import type { ReconcileRequest } from "./to-crm-changes.js";

/**
 * The changes a CDC event could not carry, read back from the org (DESIGN's reconciliation for
 * Salesforce): the records named, or every record whose `LastModifiedDate` is at or after
 * `since`, then their governed fields' history since then — each value one change, attributed to
 * the user who made it (`CreatedById`), keyed by record, field and time so reading it twice
 * enforces it once.
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
  const policyObject = toPolicyObject("salesforce", request.objectType);
  const changes: CrmChange[] = [];
  for (const record of records) {
    for (const [field, entries] of Object.entries(record.history ?? {})) {
      for (const entry of entries) {
        const at = new Date(entry.timestamp);
        if (entry.sourceType === "CREATED" || at < since) continue;
        changes.push({
          tenantId,
          crm: "salesforce",
          objectType: request.objectType,
          policyObject,
          objectId: record.objectId,
          kind: "property_change",
          property: field,
          value: entry.value,
          occurredAt: at,
          eventKey: `sf-history:${request.objectType}:${record.objectId}:${field}:${entry.timestamp}`,
          sourceEventId: `reconcile:${request.reason}`,
          source: { changeSource: "FIELD_HISTORY", userId: entry.sourceId },
        });
      }
    }
  }
  return changes.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

import { toPolicyObject } from "../../../shared/index.js";
import type { SalesforceChangeEvent } from "../../../shared/index.js";
import type { CrmChange } from "../enforce/index.js";

/** Fields every update carries that say nothing about what an actor meant to change. */
const SYSTEM_FIELDS = new Set(["LastModifiedDate", "LastModifiedById", "SystemModstamp"]);

/** What a CDC event could not say record by record, to be read back from the org instead. */
export interface ReconcileRequest {
  objectType: string;
  /** The records to read; none means every record changed since `since`. */
  recordIds?: string[] | undefined;
  since?: Date | undefined;
  reason: string;
}

/** `com/salesforce/api/rest/62.0;client=tollgate` → `tollgate`. */
export function clientOf(changeOrigin: string | undefined): string | undefined {
  return /;client=([^;,\s]+)/.exec(changeOrigin ?? "")?.[1];
}

/**
 * One CDC event as the changes enforcement decides: an UPDATE fans out to one change per record
 * (`recordIds` may name many) and per changed field; a CREATE is one creation per record. Gap and
 * overflow events, and wildcard record ids (`00Q*`), carry no values: they ask for a
 * reconciliation read. Each change's key is `transactionKey` + `sequenceNumber` + entity (the CDC
 * dedupe key of docs/salesforce.md), plus the record and field it was fanned out to.
 */
export function toCrmChanges(
  tenantId: string,
  event: SalesforceChangeEvent,
): { changes: CrmChange[]; reconcile: ReconcileRequest | undefined } {
  const header = event.payload.ChangeEventHeader;
  const objectType = header.entityName;
  const occurredAt = new Date(header.commitTimestamp);
  if (header.changeType.startsWith("GAP_"))
    return {
      changes: [],
      reconcile: {
        objectType,
        recordIds: header.changeType === "GAP_OVERFLOW" || header.recordIds.length === 0 ? undefined : header.recordIds,
        // A gap names when it happened; its records' history from shortly before says what changed.
        since: new Date(header.commitTimestamp - 1000),
        reason: header.changeType,
      },
    };
  const wildcard = header.recordIds.some((id) => id.includes("*"));
  if (wildcard) return { changes: [], reconcile: { objectType, since: occurredAt, reason: "wildcard record ids" } };

  const base = {
    tenantId,
    crm: "salesforce" as const,
    objectType,
    policyObject: toPolicyObject("salesforce", objectType),
    occurredAt,
    sourceEventId: event.event ? String(event.event.replayId) : `${header.transactionKey}:${header.sequenceNumber}`,
    source: { changeSource: header.changeOrigin, userId: header.commitUser, client: clientOf(header.changeOrigin) },
  };
  const key = `sf:${header.transactionKey}:${header.sequenceNumber}:${objectType}`;
  const changes: CrmChange[] = [];
  for (const objectId of header.recordIds) {
    if (header.changeType !== "UPDATE") {
      const kind = header.changeType === "CREATE" ? "creation" : header.changeType === "DELETE" ? "deletion" : "other";
      changes.push({ ...base, objectId, kind, eventKey: `${key}:${objectId}` });
      continue;
    }
    for (const path of header.changedFields ?? []) {
      const { field, value } = valueOf(event.payload, path);
      if (SYSTEM_FIELDS.has(field)) continue;
      changes.push({
        ...base,
        objectId,
        kind: "property_change",
        property: field,
        value,
        eventKey: `${key}:${objectId}:${field}`,
      });
    }
  }
  return { changes, reconcile: undefined };
}

/** A changed field's new value; compound fields (`Name.FirstName`) are read inside their parent. */
function valueOf(payload: Record<string, unknown>, path: string): { field: string; value: string | null } {
  const [head, leaf] = path.split(".") as [string, string | undefined];
  const raw = leaf ? (payload[head] as Record<string, unknown> | null | undefined)?.[leaf] : payload[head];
  const field = leaf ?? head;
  if (raw === null || raw === undefined) return { field, value: null };
  return { field, value: typeof raw === "string" ? raw : typeof raw === "object" ? JSON.stringify(raw) : String(raw) };
}

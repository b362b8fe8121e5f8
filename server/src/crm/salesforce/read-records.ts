import type { CrmRecord, PropertyHistoryEntry } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { historyObjectOf } from "./history-object.js";
import { queryAll } from "./query-all.js";
import { asText, chunkForUrl, isSalesforceId, soqlName, soqlString } from "./soql.js";
import type { SalesforceHistoryRow } from "./types.js";

type Row = Record<string, unknown> & {
  Id: string;
  CreatedDate?: string;
  CreatedById?: string;
  LastModifiedDate?: string;
};

/**
 * SOQL `SELECT Id, <fields> FROM <Object> WHERE Id IN (…)`, the id list split so each query URL
 * stays short; with history, `<Object>History` (or `OpportunityFieldHistory`) rows for the same
 * ids and fields, newest first. Ids that are not Salesforce ids, and records that do not exist,
 * are left out. Results come back in the order asked.
 */
export async function readRecords(
  transport: SalesforceTransport,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[],
  options: { withHistory?: boolean } = {},
): Promise<CrmRecord[]> {
  const object = soqlName(objectType);
  const fields = [...new Set(properties.map(soqlName))].filter((f) => f !== "Id");
  const withHistory = options.withHistory === true;
  const unique = [...new Set(ids.map(String))].filter(isSalesforceId);
  if (unique.length === 0) return [];
  const selected = ["Id", ...fields, ...(withHistory ? ["CreatedDate", "CreatedById", "LastModifiedDate"] : [])];
  const select = [...new Set(selected)].join(", ");
  const rows: Row[] = [];
  for (const run of chunkForUrl(
    unique,
    (r) => `SELECT ${select} FROM ${object} WHERE Id IN (${r.map(soqlString).join(",")})`,
  ))
    rows.push(
      ...(await queryAll<Row>(
        transport,
        `SELECT ${select} FROM ${object} WHERE Id IN (${run.map(soqlString).join(",")})`,
      )),
    );

  const history =
    withHistory && fields.length > 0
      ? await readHistory(
          transport,
          objectType,
          rows.map((r) => r.Id),
          fields,
        )
      : undefined;
  // Salesforce answers 18-character ids; match what was asked (15 or 18) on the first 15.
  const order = new Map(unique.map((id, i) => [id.slice(0, 15), i]));
  return rows
    .map((row) => toRecord(objectType, row, fields, history?.get(row.Id)))
    .sort((a, b) => (order.get(a.objectId.slice(0, 15)) ?? 0) - (order.get(b.objectId.slice(0, 15)) ?? 0));
}

async function readHistory(
  transport: SalesforceTransport,
  objectType: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<Map<string, SalesforceHistoryRow[]>> {
  const { object, parentField } = historyObjectOf(objectType);
  const fieldList = fields.map(soqlString).join(",");
  const statement = (run: readonly string[]) =>
    `SELECT ${parentField}, Field, OldValue, NewValue, CreatedDate, CreatedById FROM ${object} ` +
    `WHERE ${parentField} IN (${run.map(soqlString).join(",")}) AND Field IN (${fieldList}) ORDER BY CreatedDate DESC`;
  const byRecord = new Map<string, SalesforceHistoryRow[]>();
  for (const run of chunkForUrl(ids, statement)) {
    for (const row of await queryAll<SalesforceHistoryRow>(transport, statement(run))) {
      const parent = String(row[parentField]);
      byRecord.set(parent, [...(byRecord.get(parent) ?? []), row]);
    }
  }
  return byRecord;
}

function toRecord(
  objectType: string,
  row: Row,
  fields: readonly string[],
  history: SalesforceHistoryRow[] | undefined,
): CrmRecord {
  const properties: Record<string, string | null> = {};
  for (const f of fields) properties[f] = asText(row[f]);
  const record: CrmRecord = { objectType, objectId: row.Id, properties };
  if (history === undefined && row.CreatedDate === undefined) return record;
  record.history = {};
  for (const f of fields)
    record.history[f] = historyOf(
      row,
      f,
      (history ?? []).filter((h) => h.Field === f),
    );
  return record;
}

/**
 * One field's values, newest first: each history row's new value, then the value the record was
 * created with (the oldest row's old value). A field with no rows still holds its creation value
 * only if the record was never modified; otherwise its past is unknown and nothing is claimed.
 */
function historyOf(row: Row, field: string, rows: SalesforceHistoryRow[]): PropertyHistoryEntry[] {
  const entries: PropertyHistoryEntry[] = rows.map((h) => ({
    value: asText(h.NewValue),
    timestamp: new Date(h.CreatedDate).toISOString(),
    sourceType: "FIELD_HISTORY",
    sourceId: h.CreatedById,
  }));
  const created = row.CreatedDate ? new Date(row.CreatedDate).toISOString() : undefined;
  if (!created) return entries;
  const oldest = rows.at(-1);
  if (oldest)
    entries.push({
      value: asText(oldest.OldValue),
      timestamp: created,
      sourceType: "CREATED",
      sourceId: row.CreatedById,
    });
  else if (row.LastModifiedDate === row.CreatedDate)
    entries.push({ value: asText(row[field]), timestamp: created, sourceType: "CREATED", sourceId: row.CreatedById });
  return entries;
}

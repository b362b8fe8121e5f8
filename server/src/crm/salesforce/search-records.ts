import type { CrmRecord, RecordFilter } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { asText, isSalesforceId, queryPath, soqlName, soqlString } from "./soql.js";
import type { SalesforceQueryResult } from "./types.js";

/** Rows one search page holds at most (the MCP tools ask for ≤ 100). */
export const SEARCH_PAGE_LIMIT = 200;

const condition = (f: RecordFilter): string => {
  const field = soqlName(f.property);
  switch (f.operator) {
    case "eq":
      return `${field} = ${soqlString(f.value ?? "")}`;
    case "neq":
      return `${field} != ${soqlString(f.value ?? "")}`;
    case "has_property":
      return `${field} != null`;
    case "not_has_property":
      return `${field} = null`;
  }
};

/**
 * One page of the records matching every filter, as SOQL: `WHERE f1 AND f2 …`, ordered by `Id`;
 * `after` is the last id of the previous page (keyset paging, as `listRecords`). Values are
 * compared as text literals — a number or boolean field answers `bad_request` for `eq`/`neq`.
 */
export async function searchRecords(
  transport: SalesforceTransport,
  objectType: string,
  query: {
    filters: readonly RecordFilter[];
    properties: readonly string[];
    limit?: number | undefined;
    after?: string | undefined;
  },
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  const fields = [...new Set(query.properties.map(soqlName))].filter((f) => f !== "Id");
  const where = query.filters.map(condition);
  if (query.after && isSalesforceId(query.after)) where.push(`Id > ${soqlString(query.after)}`);
  const limit = Math.min(query.limit ?? 10, SEARCH_PAGE_LIMIT);
  const soql = `SELECT ${["Id", ...fields].join(", ")} FROM ${soqlName(objectType)}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY Id LIMIT ${limit}`;
  const page = await transport.send<SalesforceQueryResult<Record<string, unknown> & { Id: string }>>({
    method: "GET",
    path: queryPath(soql),
  });
  const records = page.records.map((row) => ({
    objectType,
    objectId: row.Id,
    properties: Object.fromEntries(fields.map((f) => [f, asText(row[f])])),
  }));
  return { records, after: records.length === limit ? records.at(-1)!.objectId : undefined };
}

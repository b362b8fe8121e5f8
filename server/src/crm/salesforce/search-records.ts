import type { CrmRecord, RecordFilter, RecordSearch } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { selectPage } from "./list-records.js";
import { soqlName, soqlString } from "./soql.js";

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
 * `after` is the last id of the previous page (keyset paging, `selectPage` as `listRecords`). Values are
 * compared as text literals — a number or boolean field answers `bad_request` for `eq`/`neq`.
 */
export async function searchRecords(
  transport: SalesforceTransport,
  objectType: string,
  query: RecordSearch,
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  const limit = Math.min(query.limit ?? 10, SEARCH_PAGE_LIMIT);
  return selectPage(transport, objectType, query.properties, query.filters.map(condition), query.after, limit);
}

import type { CrmRecord } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { asText, isSalesforceId, queryPath, soqlName, soqlString } from "./soql.js";
import type { SalesforceQueryResult } from "./types.js";

/** Rows a SOQL page holds by default. */
export const LIST_PAGE_SIZE = 2000;

/**
 * One page of every record of a type, ordered by `Id`; `after` is the last id seen (keyset
 * paging, so a page is one call however deep the listing goes).
 */
export async function listRecords(
  transport: SalesforceTransport,
  objectType: string,
  properties: readonly string[],
  options: { after?: string | undefined } = {},
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  return selectPage(transport, objectType, properties, [], options.after, LIST_PAGE_SIZE);
}

/**
 * One keyset page: `SELECT Id, <properties> FROM <type> WHERE <conditions> AND Id > <after>
 * ORDER BY Id LIMIT <limit>`; a full page names its last id as the next `after`.
 */
export async function selectPage(
  transport: SalesforceTransport,
  objectType: string,
  properties: readonly string[],
  conditions: readonly string[],
  after: string | undefined,
  limit: number,
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  const fields = [...new Set(properties.map(soqlName))].filter((f) => f !== "Id");
  const where = [...conditions];
  if (after && isSalesforceId(after)) where.push(`Id > ${soqlString(after)}`);
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

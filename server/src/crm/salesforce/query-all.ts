import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { queryPath } from "./soql.js";
import type { SalesforceQueryResult } from "./types.js";

/** Runs a SOQL query and follows `nextRecordsUrl` until done (2,000 rows a call). */
export async function queryAll<T>(transport: SalesforceTransport, soql: string): Promise<T[]> {
  const rows: T[] = [];
  let page = await transport.send<SalesforceQueryResult<T>>({ method: "GET", path: queryPath(soql) });
  rows.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await transport.send<SalesforceQueryResult<T>>({ method: "GET", path: page.nextRecordsUrl });
    rows.push(...page.records);
  }
  return rows;
}

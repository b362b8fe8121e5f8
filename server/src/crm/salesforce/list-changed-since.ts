import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { queryAll } from "./query-all.js";
import { soqlName } from "./soql.js";

/** The ids of records of a type modified at or after `since` (SOQL on `LastModifiedDate`), oldest first. */
export async function listChangedSince(
  transport: SalesforceTransport,
  objectType: string,
  since: Date,
): Promise<string[]> {
  // A datetime literal is unquoted in SOQL: 2026-12-04T14:00:00Z.
  const literal = since.toISOString().replace(/\.\d{3}Z$/, "Z");
  const rows = await queryAll<{ Id: string }>(
    transport,
    `SELECT Id FROM ${soqlName(objectType)} WHERE LastModifiedDate >= ${literal} ORDER BY LastModifiedDate`,
  );
  return rows.map((r) => r.Id);
}

import type { CrmConnector } from "../connector.js";
import { createProperties } from "./create-properties.js";
import { createSalesforceTransport, type SalesforceTransport } from "./create-salesforce-transport.js";
import { listChangedSince } from "./list-changed-since.js";
import { listProperties } from "./list-properties.js";
import { listRecords } from "./list-records.js";
import { readRecords } from "./read-records.js";
import { searchRecords } from "./search-records.js";
import type { SalesforceConnectorOptions } from "./types.js";
import { writeRecords } from "./write-records.js";

export interface SalesforceConnector extends CrmConnector {
  /** The REST/SOAP edge, for Salesforce-only work inside `crm/salesforce` (install, streaming). */
  readonly transport: SalesforceTransport;
  /** Ids of records modified at or after `since` (reconciliation, docs/salesforce.md). */
  listChangedSince(objectType: string, since: Date): Promise<string[]>;
}

/**
 * The `CrmConnector` for one Salesforce org, through jsforce: SOQL reads with field history,
 * sObject Collections writes, Metadata API fields. No I/O happens until the first call.
 *
 * @example
 * const salesforce = createSalesforceConnector({ orgId, instanceUrl, accessToken, apiVersion: "62.0" });
 * const [lead] = await salesforce.readRecords("Lead", ["00Q…"], ["Industry"], { withHistory: true });
 */
export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  const transport = createSalesforceTransport(options);
  return {
    crm: "salesforce",
    tenantId: options.orgId,
    transport,
    listChangedSince: (objectType, since) => listChangedSince(transport, objectType, since),
    readRecords: (objectType, ids, properties, readOptions) =>
      readRecords(transport, objectType, ids, properties, readOptions),
    writeRecords: (writes) => writeRecords(transport, writes),
    listRecords: (objectType, properties, listOptions) => listRecords(transport, objectType, properties, listOptions),
    searchRecords: (objectType, query) => searchRecords(transport, objectType, query),
    listProperties: (objectType) => listProperties(transport, objectType),
    // Salesforce has no property groups; fields are grouped by the permission set install grants.
    ensurePropertyGroup: () => Promise.resolve(false),
    createProperties: (objectType, properties) => createProperties(transport, objectType, properties),
    rateLimitState: () => transport.rateLimitState(),
  };
}

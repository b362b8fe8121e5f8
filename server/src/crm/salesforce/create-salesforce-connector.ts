import type { CrmConnector } from "../connector.js";
import { createProperties } from "./create-properties.js";
import { createSalesforceTransport, type SalesforceTransport } from "./create-salesforce-transport.js";
import { listChangedSince } from "./list-changed-since.js";
import { listProperties } from "./list-properties.js";
import { listRecords } from "./list-records.js";
import { setUserFrozen } from "./freeze-user.js";
import { enableChangeDataCapture, grantFieldAccess, readPermissionSetNames } from "./org-metadata.js";
import { queryAll } from "./query-all.js";
import { readRecords } from "./read-records.js";
import { archiveRecord, createRecord } from "./record-lifecycle.js";
import { searchRecords } from "./search-records.js";
import { isSalesforceId, soqlString } from "./soql.js";
import { completeTask, createTask, createUserDirectory } from "./tasks.js";
import type { SalesforceConnectorOptions } from "./types.js";
import { COLLECTION_UPDATE_LIMIT, writeRecords } from "./write-records.js";

export interface SalesforceConnector extends CrmConnector {
  /** The REST/SOAP edge, for Salesforce-only work inside `crm/salesforce` (install, streaming). */
  readonly transport: SalesforceTransport;
  /** Ids of records modified at or after `since` (reconciliation, docs/salesforce.md). */
  listChangedSince(objectType: string, since: Date): Promise<string[]>;
  /** Who the token is: `GET /services/oauth2/userinfo` (org id, and the integration user's id). */
  identity(): Promise<{ orgId: string; userId: string }>;
  /** Field-level security on Tollgate's fields through a permission set assigned to `userId` (idempotent). */
  grantFieldAccess(
    permissionSet: { name: string; label: string },
    fields: readonly string[],
    userId: string,
  ): Promise<{ assigned: boolean }>;
  /** Selects objects for Change Data Capture; returns those newly selected. */
  enableChangeDataCapture(objectTypes: readonly string[]): Promise<string[]>;
  /** Permission sets assigned to a user (approver groups, docs/contracts.md). */
  permissionSetsOf(userId: string): Promise<string[]>;
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
  const directory = createUserDirectory(transport, options.now ?? Date.now);
  return {
    crm: "salesforce",
    tenantId: options.orgId,
    writeBatchSize: COLLECTION_UPDATE_LIMIT,
    transport,
    listChangedSince: (objectType, since) => listChangedSince(transport, objectType, since),
    async identity() {
      const info = await transport.send<{ organization_id: string; user_id: string }>({
        method: "GET",
        path: "/services/oauth2/userinfo",
      });
      return { orgId: info.organization_id, userId: info.user_id };
    },
    grantFieldAccess: (set, fields, userId) => grantFieldAccess(transport, set, fields, userId),
    enableChangeDataCapture: (objectTypes) => enableChangeDataCapture(transport, objectTypes),
    permissionSetsOf: (userId) => readPermissionSetNames(transport, userId),
    // Kill switches freeze the agent's own users (docs/operations.md, containment).
    setUserFrozen: (userId, frozen) => setUserFrozen(transport, userId, frozen),
    // The org's own record of a card user, for approver groups (userIds, permission sets).
    async getUser(userId) {
      if (!isSalesforceId(userId)) return undefined;
      const [user] = await queryAll<{ Id: string; Email?: string | null }>(
        transport,
        `SELECT Id, Email FROM User WHERE Id = ${soqlString(userId)}`,
      );
      if (!user) return undefined;
      const permissionSets = await readPermissionSetNames(transport, user.Id);
      return {
        crm: "salesforce",
        id: user.Id,
        email: user.Email ?? undefined,
        roleIds: [],
        teamIds: [],
        superAdmin: false,
        permissionSets,
      };
    },
    // Approval notifications (docs/salesforce.md): the approvers among the org's users get a Task.
    listUsers: () => directory.listUsers(),
    createTask: (task) => createTask(transport, task),
    completeTask: (taskId) => completeTask(transport, taskId),
    readRecords: (objectType, ids, properties, readOptions) =>
      readRecords(transport, objectType, ids, properties, readOptions),
    writeRecords: (writes) => writeRecords(transport, writes),
    listRecords: (objectType, properties, listOptions) => listRecords(transport, objectType, properties, listOptions),
    searchRecords: (objectType, query) => searchRecords(transport, objectType, query),
    listProperties: (objectType) => listProperties(transport, objectType),
    // Salesforce has no property groups; fields are grouped by the permission set install grants.
    ensurePropertyGroup: () => Promise.resolve(false),
    createProperties: (objectType, properties) => createProperties(transport, objectType, properties),
    createRecord: (objectType, properties) => createRecord(transport, objectType, properties),
    archiveRecord: (objectType, objectId) => archiveRecord(transport, objectType, objectId),
    rateLimitState: () => transport.rateLimitState(),
  };
}

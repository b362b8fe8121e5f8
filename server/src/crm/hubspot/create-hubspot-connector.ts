import type { CrmConnector } from "../connector.js";
import { createHubSpotTransport } from "./create-hubspot-transport.js";
import { createProperties } from "./create-properties.js";
import { ensurePropertyGroup } from "./ensure-property-group.js";
import { getUser, listUsers } from "./get-user.js";
import { listProperties } from "./list-properties.js";
import { listChangedSince } from "./list-changed-since.js";
import { listRecords } from "./list-records.js";
import { readRecords } from "./read-records.js";
import { archiveRecord, createRecord } from "./record-lifecycle.js";
import { searchRecords } from "./search-records.js";
import { completeTask, createTask } from "./tasks.js";
import type { HubSpotConnectorOptions } from "./types.js";
import { writeRecords } from "./write-records.js";

/**
 * The `CrmConnector` for one HubSpot account, over CRM v3 through `@hubspot/api-client`.
 * No I/O happens until the first call.
 *
 * @example
 * const hubspot = createHubSpotConnector({ accessToken: env.HUBSPOT_ACCESS_TOKEN, portalId: env.HUBSPOT_PORTAL_ID,
 *   baseUrl: env.HUBSPOT_API_BASE_URL });
 * const [contact] = await hubspot.readRecords("contacts", ["101"], ["industry"], { withHistory: true });
 */
export function createHubSpotConnector(options: HubSpotConnectorOptions): CrmConnector {
  const transport = createHubSpotTransport(options);
  // A user's owner record, by user id: tasks are assigned to owners (null: the user has none).
  const owners = new Map<string, string | null>();
  return {
    crm: "hubspot",
    tenantId: String(options.portalId),
    readRecords: (objectType, ids, properties, readOptions) =>
      readRecords(transport, objectType, ids, properties, readOptions),
    writeRecords: (writes) => writeRecords(transport, writes),
    listRecords: (objectType, properties, listOptions) => listRecords(transport, objectType, properties, listOptions),
    searchRecords: (objectType, query) => searchRecords(transport, objectType, query),
    listChangedSince: (objectType, since) => listChangedSince(transport, objectType, since),
    listProperties: (objectType) => listProperties(transport, objectType),
    ensurePropertyGroup: (objectType, group) => ensurePropertyGroup(transport, objectType, group),
    createProperties: (objectType, properties) => createProperties(transport, objectType, properties),
    createRecord: (objectType, properties) => createRecord(transport, objectType, properties),
    archiveRecord: (objectType, objectId) => archiveRecord(transport, objectType, objectId),
    rateLimitState: () => transport.rateLimitState(),
    getUser: (userId) => getUser(transport, userId),
    listUsers: () => listUsers(transport),
    createTask: (task) => createTask(transport, task, owners),
    completeTask: (taskId) => completeTask(transport, taskId),
  };
}

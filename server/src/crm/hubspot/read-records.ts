import type { CrmRecord } from "../connector.js";
import { chunk } from "./chunk.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { mapSimplePublicObject } from "./map-simple-public-object.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotBatchResponse, HubSpotSimplePublicObject } from "./types.js";

/** "Batch requests to CRM object endpoints are limited to 100 records per request." */
export const BATCH_READ_LIMIT = 100;
/** With `propertiesWithHistory` we ask for fewer (a documented cap is unconfirmed; 50 is what HubSpot tooling uses). */
export const BATCH_READ_WITH_HISTORY_LIMIT = 50;

/**
 * `POST /crm/v3/objects/{type}/batch/read`, 100 ids a call (50 with history). Missing records
 * come back as a 207 `OBJECT_NOT_FOUND` error (or a 404 when none exist): they are left out.
 * Any other failure throws a `CrmError`: a read has no per-input result to mark.
 */
export async function readRecords(
  transport: HubSpotTransport,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[],
  options: { withHistory?: boolean } = {},
): Promise<CrmRecord[]> {
  const withHistory = options.withHistory === true;
  const unique = [...new Set(ids.map(String))];
  const path = `/crm/v3/objects/${encodeURIComponent(toHubSpotObjectName(objectType))}/batch/read`;
  const records: CrmRecord[] = [];
  for (const slice of chunk(unique, withHistory ? BATCH_READ_WITH_HISTORY_LIMIT : BATCH_READ_LIMIT)) {
    const response = await transport.send({
      method: "POST",
      path,
      query: { archived: "false" },
      body: {
        inputs: slice.map((id) => ({ id })),
        properties: [...properties],
        ...(withHistory ? { propertiesWithHistory: [...properties] } : {}),
      },
    });
    if (response.status === 404) continue;
    if (response.status !== 200 && response.status !== 207)
      throw crmErrorFromResponse(response, `batch read ${objectType}`);
    const body = response.body as HubSpotBatchResponse<HubSpotSimplePublicObject>;
    for (const object of body.results ?? [])
      records.push(mapSimplePublicObject(objectType, object, properties, withHistory));
  }
  // HubSpot returns results in no promised order; give them back in the order asked.
  const order = new Map(unique.map((id, i) => [id, i]));
  return records.sort((a, b) => (order.get(a.objectId) ?? 0) - (order.get(b.objectId) ?? 0));
}

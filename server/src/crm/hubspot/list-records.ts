import type { CrmRecord } from "../connector.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { mapSimplePublicObject } from "./map-simple-public-object.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotSimplePublicObject } from "./types.js";

/** HubSpot's page size cap for `GET /crm/v3/objects/{type}`. */
export const LIST_PAGE_LIMIT = 100;

/** `GET /crm/v3/objects/{type}?limit=100&properties=…&after=…`: one page, with its cursor. */
export async function listRecords(
  transport: HubSpotTransport,
  objectType: string,
  properties: readonly string[],
  options: { after?: string | undefined } = {},
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  const response = await transport.send({
    method: "GET",
    path: `/crm/v3/objects/${encodeURIComponent(toHubSpotObjectName(objectType))}`,
    query: {
      limit: String(LIST_PAGE_LIMIT),
      properties: properties.join(","),
      archived: "false",
      ...(options.after ? { after: options.after } : {}),
    },
  });
  if (response.status !== 200) throw crmErrorFromResponse(response, `list ${objectType}`);
  const body = response.body as { results?: HubSpotSimplePublicObject[]; paging?: { next?: { after?: string } } };
  return {
    records: (body.results ?? []).map((o) => mapSimplePublicObject(objectType, o, properties, false)),
    after: body.paging?.next?.after,
  };
}

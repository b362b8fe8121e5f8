import type { CrmRecord, RecordFilter, RecordSearch } from "../connector.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { mapSimplePublicObject } from "./map-simple-public-object.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotSimplePublicObject } from "./types.js";

/** "You can include a maximum of five filterGroups with up to 6 filters in each group"; 200 results a page. */
export const SEARCH_MAX_FILTERS = 6;
export const SEARCH_PAGE_LIMIT = 100;

const OPERATOR: Record<RecordFilter["operator"], string> = {
  eq: "EQ",
  neq: "NEQ",
  has_property: "HAS_PROPERTY",
  not_has_property: "NOT_HAS_PROPERTY",
};

/**
 * `POST /crm/v3/objects/{type}/search`: one filter group (every filter must match), one page.
 * HubSpot's search index lags writes by a few seconds; reads by id (`readRecords`) do not.
 */
export async function searchRecords(
  transport: HubSpotTransport,
  objectType: string,
  query: RecordSearch,
): Promise<{ records: CrmRecord[]; after: string | undefined }> {
  const filters = query.filters.map((f) => ({
    propertyName: f.property,
    operator: OPERATOR[f.operator],
    ...(f.operator === "eq" || f.operator === "neq" ? { value: f.value ?? "" } : {}),
  }));
  const response = await transport.send({
    method: "POST",
    path: `/crm/v3/objects/${encodeURIComponent(toHubSpotObjectName(objectType))}/search`,
    body: {
      filterGroups: filters.length ? [{ filters }] : [],
      properties: [...query.properties],
      limit: Math.min(query.limit ?? 10, SEARCH_PAGE_LIMIT),
      ...(query.after ? { after: query.after } : {}),
    },
  });
  if (response.status !== 200) throw crmErrorFromResponse(response, `search ${objectType}`);
  const body = response.body as { results?: HubSpotSimplePublicObject[]; paging?: { next?: { after?: string } } };
  return {
    records: (body.results ?? []).map((o) => mapSimplePublicObject(objectType, o, query.properties, false)),
    after: body.paging?.next?.after,
  };
}

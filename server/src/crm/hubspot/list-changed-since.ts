import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";

/** The search API's own limits (docs/architecture.md, reconciliation): 200 a page, 10,000 a query. */
export const SEARCH_PAGE_LIMIT = 200;
export const SEARCH_RESULT_LIMIT = 10_000;
/** The search API allows 5 requests per second per account, apart from the general budget. */
const SEARCH_SPACING_MS = 200;

/** Contacts name their last-modified date `lastmodifieddate`; every other object `hs_lastmodifieddate`. */
const lastModifiedOf = (objectName: string) => (objectName === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate");

/**
 * Ids of the records of a type modified at or after `since`, oldest first, by searching on the
 * last-modified date. A query stops at 10,000 results, so a full window is split: the next query
 * starts at the last modification time seen (ids are de-duplicated). Calls are spaced to stay
 * within the search API's 5 requests per second. A quiet portal costs one call.
 */
export async function listChangedSince(
  transport: HubSpotTransport,
  objectType: string,
  since: Date,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<string[]> {
  const objectName = toHubSpotObjectName(objectType);
  const property = lastModifiedOf(objectName);
  const ids = new Set<string>();
  let from = since.getTime();
  let calls = 0;
  for (;;) {
    let after: string | undefined;
    let seenInWindow = 0;
    let latest = from;
    do {
      if (calls++ > 0) await sleep(SEARCH_SPACING_MS);
      const response = await transport.send({
        method: "POST",
        path: `/crm/v3/objects/${encodeURIComponent(objectName)}/search`,
        body: {
          filterGroups: [{ filters: [{ propertyName: property, operator: "GTE", value: String(from) }] }],
          sorts: [{ propertyName: property, direction: "ASCENDING" }],
          properties: [property],
          limit: SEARCH_PAGE_LIMIT,
          ...(after ? { after } : {}),
        },
      });
      if (response.status !== 200) throw crmErrorFromResponse(response, `search ${objectType}`);
      const body = response.body as {
        results?: { id: string; properties?: Record<string, string | null> }[];
        paging?: { next?: { after?: string } };
      };
      for (const r of body.results ?? []) {
        ids.add(String(r.id));
        const at = Date.parse(r.properties?.[property] ?? "");
        if (Number.isFinite(at) && at > latest) latest = at;
      }
      seenInWindow += body.results?.length ?? 0;
      after = body.paging?.next?.after;
    } while (after !== undefined && seenInWindow < SEARCH_RESULT_LIMIT);
    // A full window (HubSpot stops at 10,000, with or without a next page): start again from the
    // newest modification seen, if time moved on at all.
    if (seenInWindow < SEARCH_RESULT_LIMIT || latest === from) return [...ids];
    from = latest;
  }
}

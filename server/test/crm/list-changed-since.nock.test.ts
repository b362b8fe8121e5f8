import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { listChangedSince, SEARCH_PAGE_LIMIT } from "../../src/crm/hubspot/list-changed-since.js";
import { createHubSpotTransport } from "../../src/crm/hubspot/create-hubspot-transport.js";

// HubSpot's search endpoint mocked at the HTTP boundary: the limits are HubSpot's, not ours.
const BASE = "https://api.hubapi.test";
const transport = () => createHubSpotTransport({ accessToken: "pat-test", portalId: 62515, baseUrl: BASE });
afterEach(() => nock.cleanAll());

interface SearchBody {
  filterGroups: { filters: { propertyName: string; operator: string; value: string }[] }[];
  limit: number;
  after?: string;
}

describe("listChangedSince (HubSpot search on the last-modified date)", () => {
  it("pages 200 at a time, splits a window HubSpot caps at 10,000 results, and spaces calls for 5 a second", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    // 10,200 records modified one ms apart: the first window stops at 10,000, the second starts at the last seen.
    const all = Array.from({ length: 10_200 }, (_, i) => ({ id: String(i + 1), at: t0 + i }));
    const bodies: SearchBody[] = [];
    nock(BASE)
      .post("/crm/v3/objects/contacts/search", (b: SearchBody) => (bodies.push(b), true))
      .times(60)
      .reply(200, () => {
        const b = bodies[bodies.length - 1]!;
        const from = Number(b.filterGroups[0]!.filters[0]!.value);
        const matches = all.filter((r) => r.at >= from);
        const start = Number(b.after ?? 0);
        const page = matches.slice(start, start + b.limit);
        const more = start + b.limit < Math.min(matches.length, 10_000);
        return {
          total: matches.length,
          results: page.map((r) => ({ id: r.id, properties: { lastmodifieddate: new Date(r.at).toISOString() } })),
          ...(more ? { paging: { next: { after: String(start + b.limit) } } } : {}),
        };
      });
    const sleeps: number[] = [];
    const ids = await listChangedSince(transport(), "contacts", new Date(t0), async (ms) => void sleeps.push(ms));
    expect(new Set(ids).size).toBe(10_200);
    expect(bodies.every((b) => b.limit === SEARCH_PAGE_LIMIT)).toBe(true);
    expect(bodies[0]!.filterGroups[0]!.filters[0]).toMatchObject({ propertyName: "lastmodifieddate", operator: "GTE" });
    // 50 pages fill the first window; the second window starts at the 10,000th record's instant.
    expect(Number(bodies[50]!.filterGroups[0]!.filters[0]!.value)).toBe(t0 + 9_999);
    expect(bodies[50]!.after).toBeUndefined();
    expect(sleeps.every((ms) => ms >= 200)).toBe(true);
    expect(sleeps).toHaveLength(bodies.length - 1);
  });

  it("costs one call when nothing changed", async () => {
    const scope = nock(BASE).post("/crm/v3/objects/companies/search").reply(200, { total: 0, results: [] });
    expect(await listChangedSince(transport(), "companies", new Date())).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { buildTollgateUrl, identityOf, recordPath, tollgateBaseUrlOf } from "../lib/tollgate-url";
import { makeContext, TOLLGATE_TEST_URL } from "./fixtures";

describe("identityOf", () => {
  it.each([
    ["0-1", "contacts"],
    ["0-2", "companies"],
    ["0-3", "deals"],
    ["2-7788", "2-7788"],
  ])("names object type %s as %s", (objectTypeId, objectType) => {
    const context = makeContext();
    expect(identityOf({ ...context, crm: { ...context.crm, objectTypeId } }).objectType).toBe(objectType);
  });

  it("takes portal, user and record from the context", () => {
    expect(identityOf(makeContext())).toEqual({
      baseUrl: TOLLGATE_TEST_URL,
      portalId: 62515,
      userId: 4211,
      userEmail: "rep@acme.test",
      objectId: 901,
      objectType: "companies",
    });
  });
});

describe("tollgateBaseUrlOf", () => {
  it("reads TOLLGATE_URL from the uploaded profile's variables, without a trailing slash", () => {
    expect(tollgateBaseUrlOf({ variables: { TOLLGATE_URL: "https://t.acme.test/" } })).toBe("https://t.acme.test");
  });

  it("is empty when the project was uploaded without a profile", () => {
    expect(tollgateBaseUrlOf({})).toBe("");
    expect(tollgateBaseUrlOf({ variables: { TOLLGATE_URL: 7 } })).toBe("");
  });
});

describe("buildTollgateUrl", () => {
  const identity = {
    baseUrl: TOLLGATE_TEST_URL,
    portalId: 62515,
    userId: 4211,
    userEmail: "a+b@acme.test",
    objectId: 901,
    objectType: "companies",
  };

  it("puts only the record in the query — never the user or portal, which HubSpot appends — and leaves out unset parameters", () => {
    const url = new URL(
      buildTollgateUrl("/v1/x", identity, { limit: 5, cursor: undefined, userId: 1, portalId: 2, appId: 3 }),
    );
    expect(url.origin).toBe(TOLLGATE_TEST_URL);
    expect([...url.searchParams]).toEqual([
      ["objectId", "901"],
      ["limit", "5"],
    ]);
  });

  it("builds the record paths Tollgate serves", () => {
    expect(recordPath(identity, "approvals")).toBe("/v1/records/hubspot/companies/901/approvals");
    expect(recordPath({ ...identity, objectType: "2-77 x" }, "provenance")).toBe(
      "/v1/records/hubspot/2-77%20x/901/provenance",
    );
  });
});

import nock from "nock";
import { hubspotBatchCompleted } from "../../../test/fixtures/index.js";
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { CrmError } from "../../src/crm/index.js";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";

// HubSpot's HTTP boundary mocked with nock: one scope per expected call, each with a body check.
const BASE = "https://api.hubapi.test";
const TOKEN = "pat-test-token";
const RATE_HEADERS = {
  "X-HubSpot-RateLimit-Max": "190",
  "X-HubSpot-RateLimit-Remaining": "187",
  "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
  "X-HubSpot-RateLimit-Daily-Remaining": "499000",
};

function connector(options: { getAccessToken?: () => Promise<string> } = {}) {
  return createHubSpotConnector({
    ...(options.getAccessToken ? { getAccessToken: options.getAccessToken } : { accessToken: TOKEN }),
    portalId: 62515,
    baseUrl: BASE,
  });
}

function hubspot() {
  return nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

type Input = { id: string; properties: Record<string, string> };
const ids = (body: { inputs: Input[] }) => body.inputs.map((i) => i.id);
const ok = hubspotBatchCompleted;
const contactWrites = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    objectType: "contacts",
    objectId: String(1000 + from + i),
    properties: { jobtitle: `title-${from + i}` },
  }));

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("writeRecords", () => {
  it("sends 250 writes as three batch updates of at most 100, results in input order", async () => {
    const writes = contactWrites(250);
    for (const [from, size] of [
      [0, 100],
      [100, 100],
      [200, 50],
    ] as const) {
      hubspot()
        .post(
          "/crm/v3/objects/contacts/batch/update",
          (body: { inputs: Input[] }) =>
            body.inputs.length === size &&
            ids(body)[0] === String(1000 + from) &&
            body.inputs[size - 1]!.properties["jobtitle"] === `title-${from + size - 1}`,
        )
        .reply(200, (_uri, body) => ok((body as { inputs: Input[] }).inputs), RATE_HEADERS);
    }
    const results = await connector().writeRecords(writes);
    expect(results.map((r) => r.objectId)).toEqual(writes.map((w) => w.objectId));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("groups by object type and merges writes to one record, the later winning", async () => {
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", {
        inputs: [
          { id: "1", properties: { jobtitle: "late", industry: "Retail" } },
          { id: "2", properties: { jobtitle: "b" } },
        ],
      })
      .reply(200, (_uri, body) => ok((body as { inputs: Input[] }).inputs));
    hubspot()
      .post("/crm/v3/objects/deals/batch/update", { inputs: [{ id: "9", properties: { amount: "10" } }] })
      .reply(200, (_uri, body) => ok((body as { inputs: Input[] }).inputs));
    const results = await connector().writeRecords([
      { objectType: "contacts", objectId: "1", properties: { jobtitle: "early", industry: "Retail" } },
      { objectType: "0-3", objectId: "9", properties: { amount: "10" } },
      { objectType: "contacts", objectId: "2", properties: { jobtitle: "b" } },
      { objectType: "0-1", objectId: "1", properties: { jobtitle: "late" } },
    ]);
    expect(results.map((r) => [r.objectType, r.objectId, r.ok])).toEqual([
      ["contacts", "1", true],
      ["0-3", "9", true],
      ["contacts", "2", true],
      ["0-1", "1", true],
    ]);
  });

  it("marks the inputs a 207 names as failed and the rest as written", async () => {
    hubspot()
      .post(
        "/crm/v3/objects/contacts/batch/update",
        (body: { inputs: Input[] }) => ids(body).join() === "1000,1001,1002",
      )
      .reply(207, {
        status: "COMPLETE",
        results: [
          { id: "1000", properties: {}, createdAt: "x", updatedAt: "x" },
          { id: "1002", properties: {}, createdAt: "x", updatedAt: "x" },
        ],
        numErrors: 1,
        errors: [
          {
            status: "error",
            category: "OBJECT_NOT_FOUND",
            message: "Could not get some CONTACT objects",
            context: { ids: ["1001"] },
          },
        ],
      });
    const results = await connector().writeRecords(contactWrites(3));
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]!.error).toEqual({ code: "not_found", message: "Could not get some CONTACT objects" });
  });

  it("narrows a 400 that names no input by splitting the batch, so good writes still land", async () => {
    const bad = { status: "error", category: "VALIDATION_ERROR", message: "Property values were not valid" };
    const expectIds = (want: string) => (body: { inputs: Input[] }) => ids(body).join() === want;
    hubspot().post("/crm/v3/objects/contacts/batch/update", expectIds("1000,1001,1002,1003")).reply(400, bad);
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", expectIds("1000,1001"))
      .reply(200, (_u, b) => ok((b as { inputs: Input[] }).inputs));
    hubspot().post("/crm/v3/objects/contacts/batch/update", expectIds("1002,1003")).reply(400, bad);
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", expectIds("1002"))
      .reply(200, (_u, b) => ok((b as { inputs: Input[] }).inputs));
    hubspot().post("/crm/v3/objects/contacts/batch/update", expectIds("1003")).reply(400, bad);
    const results = await connector().writeRecords(contactWrites(4));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]!.error).toEqual({ code: "bad_request", message: "Property values were not valid" });
  });

  it("throws rate_limited with the wait from Retry-After, else the interval header, else 10 s", async () => {
    const body = {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
    };
    const cases: [Record<string, string>, number][] = [
      [{ "Retry-After": "3" }, 3000],
      [{ "X-HubSpot-RateLimit-Interval-Milliseconds": "8000" }, 8000],
      [{}, 10_000],
    ];
    for (const [headers, wait] of cases) {
      hubspot()
        .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
        .reply(429, body, headers);
      const error = await connector()
        .writeRecords(contactWrites(1))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrmError);
      expect(error).toMatchObject({ crmCode: "rate_limited", retryable: true, retryAfterMs: wait, status: 429 });
    }
  });

  it("throws server_error on 5xx, locked (2 s) on 423 and network when the connection fails", async () => {
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
      .reply(502, "Bad Gateway");
    await expect(connector().writeRecords(contactWrites(1))).rejects.toMatchObject({
      crmCode: "server_error",
      retryable: true,
      status: 502,
    });
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
      .reply(423, { status: "error", message: "locked" });
    await expect(connector().writeRecords(contactWrites(1))).rejects.toMatchObject({
      crmCode: "locked",
      retryAfterMs: 2000,
    });
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
      .replyWithError("socket hang up");
    await expect(connector().writeRecords(contactWrites(1))).rejects.toMatchObject({
      crmCode: "network",
      retryable: true,
    });
  });

  it("fails as network when HubSpot does not answer in time", async () => {
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
      .delay(500)
      .reply(200, { status: "COMPLETE", results: [] });
    const slow = createHubSpotConnector({ accessToken: TOKEN, portalId: 62515, baseUrl: BASE, timeoutMs: 50 });
    await expect(slow.writeRecords(contactWrites(1))).rejects.toMatchObject({ crmCode: "network", retryable: true });
  });

  it("keeps the rate-limit headers of the last answer", async () => {
    hubspot()
      .post("/crm/v3/objects/contacts/batch/update", (b: { inputs: Input[] }) => b.inputs.length === 1)
      .reply(200, (_u, b) => ok((b as { inputs: Input[] }).inputs), RATE_HEADERS);
    const c = connector();
    expect(c.rateLimitState()).toBeUndefined();
    const before = Date.now();
    await c.writeRecords(contactWrites(1));
    expect(c.rateLimitState()).toMatchObject({ max: 190, remaining: 187, intervalMs: 10_000, dailyRemaining: 499_000 });
    expect(c.rateLimitState()!.observedAt).toBeGreaterThanOrEqual(before);
  });
});

describe("readRecords", () => {
  it("maps propertiesWithHistory newest first, empty values as null", async () => {
    hubspot()
      .post("/crm/v3/objects/contacts/batch/read", {
        inputs: [{ id: "7" }],
        properties: ["industry", "jobtitle"],
        propertiesWithHistory: ["industry", "jobtitle"],
      })
      .query({ archived: "false" })
      .reply(200, {
        status: "COMPLETE",
        results: [
          {
            id: "7",
            properties: { industry: "Fintech", jobtitle: "", hs_object_id: "7" },
            propertiesWithHistory: {
              industry: [
                {
                  value: "Retail",
                  timestamp: "2025-01-01T10:00:00.000Z",
                  sourceType: "CRM_UI",
                  sourceId: "userId:42",
                  updatedByUserId: 42,
                },
                {
                  value: "Fintech",
                  timestamp: "2025-01-02T10:00:00.000Z",
                  sourceType: "INTEGRATION",
                  sourceId: "123456",
                },
                { value: "", timestamp: "2024-12-31T10:00:00Z", sourceType: "IMPORT" },
              ],
            },
            createdAt: "2024-12-31T10:00:00Z",
            updatedAt: "2025-01-02T10:00:00Z",
          },
        ],
      });
    const [record] = await connector().readRecords("0-1", ["7"], ["industry", "jobtitle"], { withHistory: true });
    expect(record).toEqual({
      objectType: "0-1",
      objectId: "7",
      properties: { industry: "Fintech", jobtitle: null, hs_object_id: "7" },
      history: {
        industry: [
          { value: "Fintech", timestamp: "2025-01-02T10:00:00.000Z", sourceType: "INTEGRATION", sourceId: "123456" },
          { value: "Retail", timestamp: "2025-01-01T10:00:00.000Z", sourceType: "CRM_UI", sourceId: "userId:42" },
          { value: null, timestamp: "2024-12-31T10:00:00.000Z", sourceType: "IMPORT", sourceId: undefined },
        ],
        jobtitle: [],
      },
    });
  });

  it("asks for 50 ids a call with history and leaves out records a 207 reports missing", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => String(i + 1));
    for (const [from, size] of [
      [0, 50],
      [50, 50],
      [100, 20],
    ] as const) {
      hubspot()
        .post(
          "/crm/v3/objects/contacts/batch/read",
          (body: { inputs: { id: string }[]; propertiesWithHistory?: string[] }) =>
            body.inputs.length === size &&
            body.inputs[0]!.id === ids[from] &&
            body.propertiesWithHistory?.[0] === "industry",
        )
        .query(true)
        .reply(207, (_u, b) => {
          const asked = (b as { inputs: { id: string }[] }).inputs.map((i) => i.id);
          return {
            status: "COMPLETE",
            results: asked
              .filter((id) => id !== "60")
              .reverse()
              .map((id) => ({
                id,
                properties: { industry: `i${id}` },
                propertiesWithHistory: { industry: [] },
                createdAt: "x",
                updatedAt: "x",
              })),
            errors: asked.includes("60")
              ? [{ status: "error", category: "OBJECT_NOT_FOUND", message: "missing", context: { ids: ["60"] } }]
              : [],
          };
        });
    }
    const records = await connector().readRecords("contacts", ids, ["industry"], { withHistory: true });
    expect(records.map((r) => r.objectId)).toEqual(ids.filter((id) => id !== "60"));
  });

  it("throws auth_failed, not retryable, on 401, and asks getAccessToken for each call", async () => {
    let calls = 0;
    const getAccessToken = async () => `oauth-${++calls}`;
    nock(BASE, { reqheaders: { authorization: "Bearer oauth-1" } })
      .post("/crm/v3/objects/contacts/batch/read", (b: { inputs: unknown[] }) => b.inputs.length === 1)
      .query(true)
      .reply(401, { status: "error", category: "EXPIRED_AUTHENTICATION", message: "expired" });
    nock(BASE, { reqheaders: { authorization: "Bearer oauth-2" } })
      .post("/crm/v3/objects/contacts/batch/read", (b: { inputs: unknown[] }) => b.inputs.length === 1)
      .query(true)
      .reply(200, { status: "COMPLETE", results: [] });
    const c = connector({ getAccessToken });
    await expect(c.readRecords("contacts", ["1"], ["email"])).rejects.toMatchObject({
      crmCode: "auth_failed",
      retryable: false,
    });
    expect(await c.readRecords("contacts", ["1"], ["email"])).toEqual([]);
  });
});

describe("properties", () => {
  it("creates only missing properties, and falls back to one by one when the batch conflicts", async () => {
    const defs = ["ai_sdr_source", "ai_sdr_event_id", "ai_proposed_industry"].map((name) => ({
      name,
      label: name,
      type: "string",
      fieldType: "text",
      groupName: "tollgate",
    }));
    hubspot()
      .get("/crm/v3/properties/contacts")
      .query({ archived: "false" })
      .reply(200, { results: [{ ...defs[0], options: [] }] });
    hubspot()
      .post(
        "/crm/v3/properties/contacts/batch/create",
        (b: { inputs: { name: string }[] }) =>
          b.inputs.map((i) => i.name).join() === "ai_sdr_event_id,ai_proposed_industry",
      )
      .reply(409, {
        status: "error",
        category: "OBJECT_ALREADY_EXISTS",
        message: "Property named 'ai_sdr_event_id' already exists.",
      });
    hubspot()
      .post(
        "/crm/v3/properties/contacts",
        (b: { name: string; groupName: string }) => b.name === "ai_sdr_event_id" && b.groupName === "tollgate",
      )
      .reply(409, { status: "error", category: "OBJECT_ALREADY_EXISTS", message: "exists" });
    hubspot()
      .post("/crm/v3/properties/contacts", (b: { name: string }) => b.name === "ai_proposed_industry")
      .reply(201, { ...defs[2], options: [] });
    await connector().createProperties("contacts", defs);
  });

  it("ensurePropertyGroup creates a group only when the read says 404", async () => {
    hubspot()
      .get("/crm/v3/properties/contacts/groups/tollgate")
      .reply(404, { status: "error", category: "OBJECT_NOT_FOUND", message: "no group" });
    hubspot()
      .post("/crm/v3/properties/contacts/groups", { name: "tollgate", label: "Tollgate" })
      .reply(201, { name: "tollgate", label: "Tollgate", displayOrder: -1, archived: false });
    hubspot()
      .get("/crm/v3/properties/companies/groups/tollgate")
      .reply(200, { name: "tollgate", label: "Tollgate", displayOrder: -1, archived: false });
    const c = connector();
    expect(await c.ensurePropertyGroup("contacts", { name: "tollgate", label: "Tollgate" })).toBe(true);
    expect(await c.ensurePropertyGroup("companies", { name: "tollgate", label: "Tollgate" })).toBe(false);
  });

  it("lists definitions with read-only flags", async () => {
    hubspot()
      .get("/crm/v3/properties/deals")
      .query({ archived: "false" })
      .reply(200, {
        results: [
          {
            name: "dealstage",
            label: "Deal stage",
            type: "enumeration",
            fieldType: "radio",
            groupName: "dealinformation",
            options: [{ label: "Won", value: "closedwon", hidden: false, displayOrder: 0 }],
          },
          {
            name: "hs_object_id",
            label: "Record ID",
            type: "number",
            fieldType: "number",
            groupName: "dealinformation",
            options: [],
            modificationMetadata: { readOnlyValue: true },
          },
        ],
      });
    const props = await connector().listProperties("deals");
    expect(props[0]).toMatchObject({
      name: "dealstage",
      options: [{ label: "Won", value: "closedwon", hidden: false, displayOrder: 0 }],
    });
    expect(props[0]!.readOnly).toBeUndefined();
    expect(props[1]!.readOnly).toBe(true);
  });
});

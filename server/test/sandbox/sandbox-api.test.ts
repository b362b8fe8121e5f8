import { Client } from "@hubspot/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubSpotSandbox, type HubSpotSandbox } from "../../sandbox/hubspot/index.js";

let sandbox: HubSpotSandbox;
let agent: string;
let human: string;

beforeAll(async () => {
  sandbox = await createHubSpotSandbox({ clientSecret: "api-secret", appId: 4242, rateLimit: { max: 10_000 } });
  agent = sandbox.tokens.issue({ appId: 123456 });
  human = sandbox.tokens.issue({ userId: 7001 });
});
afterAll(() => sandbox.close());

async function call(token: string | undefined, method: string, path: string, body?: unknown, base = sandbox.url) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe("authentication", () => {
  it("refuses CRM calls without a token it issued", async () => {
    const none = await call(undefined, "GET", "/crm/v3/properties/contacts");
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
    expect((await call("pat-na1-forged", "GET", "/crm/v3/properties/contacts")).status).toBe(401);
    const expired = sandbox.tokens.issue({ appId: 1 }, { expiresInSeconds: 0 });
    expect((await call(expired, "GET", "/crm/v3/properties/contacts")).body["category"]).toBe("EXPIRED_AUTHENTICATION");
  });
});

describe("property history", () => {
  it("attributes each change to the token's holder, newest first", async () => {
    const [c] = sandbox.seed("contacts", [{ properties: { industry: "Retail" } }]);
    expect(
      (await call(agent, "PATCH", `/crm/v3/objects/contacts/${c!.id}`, { properties: { industry: "Fintech" } })).status,
    ).toBe(200);
    expect(
      (
        await call(human, "POST", "/crm/v3/objects/contacts/batch/update", {
          inputs: [{ id: c!.id, properties: { industry: "Banking" } }],
        })
      ).status,
    ).toBe(200);
    const read = await call(
      agent,
      "GET",
      `/crm/v3/objects/contacts/${c!.id}?properties=industry&propertiesWithHistory=industry`,
    );
    expect(read.body["properties"]).toEqual({ industry: "Banking" });
    const history = read.body["propertiesWithHistory"]["industry"] as Record<string, unknown>[];
    expect(history.map((h) => [h["value"], h["sourceType"], h["sourceId"]])).toEqual([
      ["Banking", "CRM_UI", "userId:7001"],
      ["Fintech", "INTEGRATION", "123456"],
      ["Retail", "IMPORT", undefined],
    ]);
    expect(history[0]!["updatedByUserId"]).toBe(7001);
    expect(sandbox.history("contacts", c!.id, "industry")).toEqual(history);
  });

  it("serves the SDK's own generated client", async () => {
    const [c] = sandbox.seed("contacts", [{ properties: { email: "sdk@example.com", jobtitle: "CFO" } }]);
    const client = new Client({ accessToken: agent, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const object = await client.crm.contacts.basicApi.getById(c!.id, ["email", "jobtitle"], ["jobtitle"]);
    expect(object.properties["jobtitle"]).toBe("CFO");
    expect(object.propertiesWithHistory?.["jobtitle"]?.[0]?.sourceType).toBe("IMPORT");
    expect(object.propertiesWithHistory?.["jobtitle"]?.[0]?.timestamp).toBeInstanceOf(Date);
  });
});

describe("rate limiting", () => {
  it("answers 429 with HubSpot's body past max per rolling 10 s, per token holder, with headers on every answer", async () => {
    const limited = await createHubSpotSandbox({ clientSecret: "s", appId: 1, rateLimit: { max: 3 } });
    try {
      const a = limited.tokens.issue({ appId: 11 });
      const aAgain = limited.tokens.issue({ appId: 11 });
      const b = limited.tokens.issue({ appId: 22 });
      const answers = [];
      for (const token of [a, a, aAgain, a])
        answers.push(await call(token, "GET", "/crm/v3/properties/contacts", undefined, limited.url));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers.get("x-hubspot-ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      expect(
        answers.every(
          (r) =>
            r.headers.get("x-hubspot-ratelimit-max") === "3" &&
            r.headers.get("x-hubspot-ratelimit-interval-milliseconds") === "10000",
        ),
      ).toBe(true);
      expect(answers[3]!.body).toMatchObject({
        status: "error",
        message: "You have reached your ten_secondly_rolling limit.",
        errorType: "RATE_LIMIT",
        policyName: "TEN_SECONDLY_ROLLING",
      });
      expect((await call(b, "GET", "/crm/v3/properties/contacts", undefined, limited.url)).status).toBe(200);
      expect(limited.stats()).toMatchObject({ rateLimited: 1, calls: { "GET /crm/v3/properties/:type": 4 } });
    } finally {
      await limited.close();
    }
  });
});

describe("batch endpoints", () => {
  it("returns 207 naming missing ids and applies the rest", async () => {
    const [c] = sandbox.seed("contacts", [{ properties: { jobtitle: "A" } }]);
    const res = await call(agent, "POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id: c!.id, properties: { jobtitle: "B" } },
        { id: "424242", properties: { jobtitle: "C" } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body["errors"]).toEqual([
      expect.objectContaining({ category: "OBJECT_NOT_FOUND", context: { ids: ["424242"] } }),
    ]);
    expect(sandbox.getRecord("contacts", c!.id)!.properties["jobtitle"]).toBe("B");
  });

  it("refuses the whole batch for an invalid value, a duplicate id or more than 100 inputs", async () => {
    const [c, d] = sandbox.seed("contacts", [
      { properties: { lifecyclestage: "lead" } },
      { properties: { lifecyclestage: "lead" } },
    ]);
    const invalid = await call(agent, "POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id: c!.id, properties: { lifecyclestage: "customer" } },
        { id: d!.id, properties: { lifecyclestage: "whale" } },
      ],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ category: "VALIDATION_ERROR" });
    expect(sandbox.getRecord("contacts", c!.id)!.properties["lifecyclestage"]).toBe("lead");
    const unknown = await call(agent, "PATCH", `/crm/v3/objects/contacts/${c!.id}`, {
      properties: { no_such_property: "x" },
    });
    expect(unknown.status).toBe(400);
    const dup = await call(agent, "POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id: c!.id, properties: { lifecyclestage: "customer" } },
        { id: c!.id, properties: {} },
      ],
    });
    expect(dup.status).toBe(400);
    expect(dup.body["context"]).toEqual({ ids: [c!.id] });
    const big = await call(agent, "POST", "/crm/v3/objects/contacts/batch/read", {
      inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })),
      properties: [],
    });
    expect(big.status).toBe(400);
    const bigHistory = await call(agent, "POST", "/crm/v3/objects/contacts/batch/read", {
      inputs: Array.from({ length: 51 }, (_, i) => ({ id: String(i) })),
      properties: ["email"],
      propertiesWithHistory: ["email"],
    });
    expect(bigHistory.status).toBe(400);
  });

  it("creates in batches and finds records by EQ search", async () => {
    const created = await call(human, "POST", "/crm/v3/objects/companies/batch/create", {
      inputs: [
        { properties: { name: "Acme", domain: "acme.example" } },
        { properties: { name: "Initech", domain: "initech.example" } },
      ],
    });
    expect(created.status).toBe(201);
    const found = await call(agent, "POST", "/crm/v3/objects/companies/search", {
      filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: "INITECH.example" }] }],
      properties: ["name"],
    });
    expect(found.body["total"]).toBe(1);
    expect(found.body["results"][0]["properties"]["name"]).toBe("Initech");
    expect(
      (
        await call(agent, "POST", "/crm/v3/objects/companies/search", {
          filterGroups: [{ filters: [{ propertyName: "name", operator: "CONTAINS_TOKEN", value: "x" }] }],
        })
      ).status,
    ).toBe(400);
  });
});

describe("properties", () => {
  it("creates properties and groups once, reporting conflicts as HubSpot does", async () => {
    expect((await call(agent, "GET", "/crm/v3/properties/contacts/groups/tollgate")).status).toBe(404);
    expect(
      (await call(agent, "POST", "/crm/v3/properties/contacts/groups", { name: "tollgate", label: "Tollgate" })).status,
    ).toBe(201);
    expect(
      (await call(agent, "POST", "/crm/v3/properties/contacts/groups", { name: "tollgate", label: "Tollgate" })).status,
    ).toBe(409);
    const def = {
      name: "ai_sdr_source",
      label: "AI SDR source",
      type: "string",
      fieldType: "text",
      groupName: "tollgate",
    };
    expect((await call(agent, "POST", "/crm/v3/properties/contacts", def)).status).toBe(201);
    const again = await call(agent, "POST", "/crm/v3/properties/contacts", def);
    expect(again.status).toBe(409);
    expect(again.body["category"]).toBe("OBJECT_ALREADY_EXISTS");
    const batch = await call(agent, "POST", "/crm/v3/properties/contacts/batch/create", {
      inputs: [def, { ...def, name: "ai_sdr_event_id" }],
    });
    expect(batch.status).toBe(207);
    expect(batch.body["results"].map((p: { name: string }) => p.name)).toEqual(["ai_sdr_event_id"]);
    expect((await call(agent, "GET", "/crm/v3/properties/contacts/ai_sdr_event_id")).body["groupName"]).toBe(
      "tollgate",
    );
    expect(
      (
        await call(agent, "POST", "/crm/v3/properties/contacts", {
          ...def,
          name: "bad",
          type: "number",
          fieldType: "text",
        })
      ).status,
    ).toBe(400);
  });
});

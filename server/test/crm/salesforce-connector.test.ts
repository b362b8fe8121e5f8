import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CrmError } from "../../src/crm/index.js";
import { MAX_QUERY_URL_CHARS, createSalesforceConnector } from "../../src/crm/salesforce/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";

describe("Salesforce connector: what the conformance suite does not cover", () => {
  let org: SalesforceSandbox;
  let token: string;
  let tollgateId: string;
  beforeAll(async () => {
    org = await createSalesforceSandbox();
    tollgateId = org.users.create("Tollgate Integration").id;
    token = org.users.token(tollgateId);
  });
  afterAll(() => org.close());
  afterEach(() => nock.cleanAll());

  it("writes through sObject Collections, 200 a call, tagged with the client name, on API 62.0 by default", async () => {
    const seen: { path: string; callOptions: string | undefined; body: { allOrNone: boolean; records: unknown[] } }[] =
      [];
    nock("https://acme.my.salesforce.com")
      .patch("/services/data/v62.0/composite/sobjects")
      .times(2)
      .reply(function (path, body) {
        const b = body as { allOrNone: boolean; records: { id: string }[] };
        seen.push({ path, callOptions: this.req.headers["sforce-call-options"] as string, body: b });
        return [
          200,
          b.records.map((r) => ({ id: r.id, success: true, errors: [] })),
          { "Sforce-Limit-Info": "api-usage=12/15000" },
        ];
      });
    const connector = createSalesforceConnector({
      orgId: "00D000000000001",
      instanceUrl: "https://acme.my.salesforce.com",
      accessToken: "00D!tok",
      clientName: "tollgate-test",
    });
    const writes = Array.from({ length: 250 }, (_, i) => ({
      objectType: "Lead",
      objectId: `00Q5g00000A${String(i).padStart(4, "0")}AAA`,
      properties: { Industry: "Retail" },
    }));
    const results = await connector.writeRecords(writes);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(seen.map((s) => s.body.records.length)).toEqual([200, 50]);
    expect(seen.every((s) => s.callOptions === "client=tollgate-test" && s.body.allOrNone === false)).toBe(true);
    expect(connector.rateLimitState()).toMatchObject({ max: 15000, remaining: 14988, dailyRemaining: 14988 });
  });

  it("pauses every call once the daily allocation is spent, alerts once, and drops nothing", async () => {
    const alerts: unknown[] = [];
    const connector = createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: token,
      onAllocationExhausted: (i) => alerts.push(i),
    });
    const [id] = org.seed("Lead", [{ LastName: "Limit", Industry: "Energy" }]);
    org.limits.set(100, 100);
    const write = [{ objectType: "Lead", objectId: id!, properties: { Industry: "Retail" } }];
    const first = await connector.writeRecords(write).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(CrmError);
    expect(first).toMatchObject({ crmCode: "rate_limited", retryable: true });
    expect((first as CrmError).retryAfterMs).toBeGreaterThan(60_000);
    const usedAfterFirst = org.limits.usage().used;
    // While paused the connector does not even ask: the allocation is not spent further.
    await expect(connector.writeRecords(write)).rejects.toMatchObject({ crmCode: "rate_limited" });
    expect(org.limits.usage().used).toBe(usedAfterFirst);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ orgId: org.orgId });
    expect(connector.rateLimitState()).toMatchObject({ dailyRemaining: 0 });
    expect(org.getRecord("Lead", id!)?.["Industry"]).toBe("Energy");
    org.limits.set(1_000_000, 0);
  });

  it("reads 1,000 records with history in queries whose URLs stay short", async () => {
    const ids = org.seed(
      "Lead",
      Array.from({ length: 1000 }, (_, i) => ({ LastName: `L${i}`, Title: `t${i}` })),
    );
    const before = org.stats().calls["GET /query"] ?? 0;
    const records = await createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: token,
    }).readRecords("Lead", ids, ["Title"], { withHistory: true });
    expect(records.map((r) => r.properties["Title"])).toEqual(ids.map((_, i) => `t${i}`));
    expect(org.stats().longestUrl).toBeLessThanOrEqual(MAX_QUERY_URL_CHARS + 100);
    expect((org.stats().calls["GET /query"] ?? 0) - before).toBeGreaterThan(2);
  });

  it("fails a 503 as a retryable server error without retrying behind the write queue's back", async () => {
    const connector = createSalesforceConnector({ orgId: org.orgId, instanceUrl: org.url, accessToken: token });
    const [id] = org.seed("Lead", [{ LastName: "Flaky" }]);
    org.limits.failNext(1);
    await expect(connector.readRecords("Lead", [id!], ["Title"])).rejects.toMatchObject({
      crmCode: "server_error",
      retryable: true,
    });
    expect(await connector.readRecords("Lead", [id!], ["LastName"])).toHaveLength(1);
  });

  it("refuses a frozen user's writes", async () => {
    const agent = org.users.create("Frozen Bot");
    const connector = createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: org.users.token(agent.id),
    });
    const [id] = org.seed("Lead", [{ LastName: "Ice", Industry: "Energy" }]);
    org.users.freeze(agent.id);
    await expect(
      connector.writeRecords([{ objectType: "Lead", objectId: id!, properties: { Industry: "Retail" } }]),
    ).rejects.toMatchObject({ crmCode: "auth_failed" });
    expect(org.getRecord("Lead", id!)?.["Industry"]).toBe("Energy");
  });

  it("gets its token by the JWT bearer flow, and a new one when the session ends", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwtOrg = await createSalesforceSandbox({
      jwt: { clientId: "3MVG9-consumer", publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() },
    });
    try {
      const user = jwtOrg.users.create("Tollgate JWT", "tollgate@acme.example");
      const connector = createSalesforceConnector({
        orgId: jwtOrg.orgId,
        instanceUrl: jwtOrg.url,
        jwt: {
          loginUrl: jwtOrg.url,
          clientId: "3MVG9-consumer",
          username: user.username,
          privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        },
      });
      const [id] = jwtOrg.seed("Lead", [{ LastName: "Jwt", Title: "CTO" }]);
      expect((await connector.readRecords("Lead", [id!], ["Title"]))[0]!.properties["Title"]).toBe("CTO");
      jwtOrg.revokeTokens();
      await connector.writeRecords([{ objectType: "Lead", objectId: id!, properties: { Title: "CEO" } }]);
      expect(jwtOrg.getRecord("Lead", id!)?.["Title"]).toBe("CEO");
      expect(jwtOrg.getRecord("Lead", id!)?.["LastModifiedById"]).toBe(user.id);
    } finally {
      await jwtOrg.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTollgateRequest } from "../../src/webhooks/index.js";
import { startLocalStack, type LocalStack } from "../../sandbox/demo/start-local-stack.js";
import { apexCallout } from "../../sandbox/salesforce/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";

// The HubSpot behaviours, on the Salesforce path: a real Tollgate (real PostgreSQL and Redis)
// connected to the Salesforce sandbox by static token, changes arriving over CDC (jsforce
// streaming), reverts and applies going out through sObject Collections.

const OWNER = "owner-key-sf-e2e-0123456789abcdef";
const APPROVER = "approver-key-sf-e2e-0123456789abcd";

let t: TestDatabase;
let h: LocalStack;
let sf: NonNullable<LocalStack["salesforce"]>;
let orgId: string;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  const keys = (tenantId: string) => [
    { key: OWNER, role: "owner", name: "olive", tenantId },
    { key: APPROVER, role: "approver", name: "rita", tenantId },
  ];
  h = await startLocalStack({
    db: t.db,
    prefix: testPrefix("sf-e2e"),
    redisUrl: TEST_REDIS_URL,
    demoData: false,
    salesforce: {},
    env: { TOLLGATE_API_KEYS: JSON.stringify(keys("00D5g000004XyZaEAK")) },
  });
  sf = h.salesforce!;
  orgId = sf.org.orgId;
}, 60_000);
afterAll(async () => {
  await h?.close();
  await t?.drop();
});

const api = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** An agent or person writing to the org with their own session, as the Salesforce API would take it. */
async function writeAs(token: string, type: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sf.org.url}/services/data/v62.0/sobjects/${type}/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  expect(res.status).toBe(204);
}

/** What the Apex controller sends through the Named Credential (docs/contracts.md). */
const apex = (method: "GET" | "POST", path: string, signed: Record<string, unknown>, secret = sf.webhookSecret) =>
  apexCallout(h.baseUrl, secret, method, path, signed);

const lead = () =>
  sf.org.seed("Lead", [
    { LastName: "Lovelace", Company: "Analytical", Industry: "Energy", Status: "Open - Not Contacted", Title: "CTO" },
  ])[0]!;

describe("Salesforce: the same behaviours as HubSpot, end to end", () => {
  it("provisions the org before any event: shadow and provenance fields, field access, CDC", () => {
    expect(sf.org.fields("Lead")).toEqual(
      expect.arrayContaining([
        "AI_SDR_Event_Id__c",
        "AI_SDR_Evidence__c",
        "AI_Proposed_Title__c",
        "AI_Proposed_Industry__c",
      ]),
    );
    expect(sf.org.permissionSets().get("Tollgate_Integration")?.fieldPermissions.length).toBeGreaterThan(10);
    expect(h.tollgate.services.salesforce?.integrationUserId).toBe(sf.tollgateUser.id);
  });

  it("keeps an allowed write, reverts a disallowed one once, never re-enforces its own revert, and leaves a person's write alone", async () => {
    const id = lead();
    const agent = sf.users.enrichment.token;
    await writeAs(agent, "Lead", id, { Industry: "Banking" });
    await writeAs(agent, "Lead", id, { Status: "Closed - Converted" });
    await sf.settle();
    const record = sf.org.getRecord("Lead", id)!;
    expect(record["Industry"]).toBe("Banking");
    expect(record["Status"]).toBe("Open - Not Contacted");
    // The agent's write and Tollgate's one revert: nothing more, however long we wait.
    await new Promise((r) => setTimeout(r, 300));
    await sf.settle();
    const statusHistory = sf.org.history("Lead", id, "Status");
    expect(statusHistory.map((r) => [r["NewValue"], r["CreatedById"]])).toEqual([
      ["Open - Not Contacted", sf.tollgateUser.id],
      ["Closed - Converted", sf.users.enrichment.id],
    ]);

    await writeAs(sf.users.rep.token, "Lead", id, { Status: "Working - Contacted" });
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["Status"]).toBe("Working - Contacted");

    const audit = await api("GET", `/v1/audit?objectId=${id}&limit=50`, OWNER);
    const events = audit.body["events"] as { action: string; decision?: { outcome: string } | null }[];
    expect(events.some((e) => e.action === "field_write" && e.decision?.outcome === "deny")).toBe(true);
    expect(events.some((e) => e.action === "crm_write")).toBe(true);
  });

  it("turns a proposal into an approval, applies it when approved, and stamps provenance", async () => {
    const id = lead();
    await writeAs(sf.users.enrichment.token, "Lead", id, {
      AI_Proposed_Title__c: "VP Engineering",
      AI_SDR_Confidence_Score__c: 0.7,
      AI_SDR_Source__c: "apollo",
    });
    await sf.settle();
    const listed = await api("GET", `/v1/records/salesforce/Lead/${id}/approvals`, APPROVER);
    expect(listed.status).toBe(200);
    const [approval] = listed.body["approvals"] as {
      id: string;
      status: string;
      field: string;
      proposedValue: string;
      currentValue: string;
    }[];
    expect(approval).toMatchObject({
      status: "pending",
      field: "Title",
      proposedValue: "VP Engineering",
      currentValue: "CTO",
    });
    expect(sf.org.getRecord("Lead", id)!["Title"]).toBe("CTO");

    const approved = await api("POST", `/v1/approvals/${approval!.id}/approve`, APPROVER, {
      expected: { value: "VP Engineering" },
    });
    expect(approved.status).toBe(200);
    await sf.settle();
    const record = sf.org.getRecord("Lead", id)!;
    expect(record["Title"]).toBe("VP Engineering");
    expect(record["AI_SDR_Event_Id__c"]).toEqual(expect.any(String));
  });

  it("serves the Lightning card through signed Apex calls: lists the approval, approves as the Salesforce user, refuses forgeries and other orgs", async () => {
    const id = lead();
    await writeAs(sf.users.enrichment.token, "Lead", id, { AI_Proposed_Title__c: "Head of Data" });
    await sf.settle();
    const rep = { orgId, userId: sf.users.rep.id };
    const listed = await apex("GET", `/v1/records/salesforce/Lead/${id}/approvals`, rep);
    expect(listed.status).toBe(200);
    const [approval] = listed.body["approvals"] as { id: string; proposedValue: string }[];
    expect(approval).toMatchObject({ proposedValue: "Head of Data" });

    expect(
      (await apex("GET", `/v1/records/salesforce/Lead/${id}/approvals`, rep, "a-secret-someone-guessed")).status,
    ).toBe(401);
    // Outside the approver group (not listed, no Tollgate_Approver permission set): refused.
    const stranger = sf.org.users.create("Sam Stranger");
    const refused = await apex("POST", `/v1/approvals/${approval!.id}/approve`, { orgId, userId: stranger.id });
    expect(refused.status).toBe(403);
    const otherOrg = await apex("POST", `/v1/approvals/${approval!.id}/approve`, {
      orgId: "00D5g000009ZzZzEAK",
      userId: sf.users.rep.id,
    });
    expect(otherOrg.status).toBe(403);

    const approved = await apex("POST", `/v1/approvals/${approval!.id}/approve`, {
      ...rep,
      expected: { value: "Head of Data" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body["approvedBy"]).toEqual([
      expect.objectContaining({ id: `salesforce:user:${sf.users.rep.id}` }),
    ]);
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["Title"]).toBe("Head of Data");
    const provenance = await apex("GET", `/v1/records/salesforce/Lead/${id}/provenance`, rep);
    expect(provenance.status).toBe(200);
  });

  it("enforces a signed callout delivered twice once, and refuses a forged one", async () => {
    const id = lead();
    sf.org.write("Lead", id, { Status: "Closed - Not Converted" }, sf.users.enrichment.id);
    await new Promise((r) => setTimeout(r, 5));
    const event = {
      payload: {
        ChangeEventHeader: {
          entityName: "Lead",
          recordIds: [id],
          changeType: "UPDATE",
          changeOrigin: "com/salesforce/api/rest/62.0",
          transactionKey: "tk-duplicate-1",
          sequenceNumber: 1,
          commitTimestamp: Date.now(),
          commitUser: sf.users.enrichment.id,
          changedFields: ["Status", "LastModifiedDate"],
        },
        Status: "Closed - Not Converted",
      },
    };
    const body = JSON.stringify({ orgId, events: [event] });
    const post = () =>
      fetch(`${h.baseUrl}/webhooks/salesforce`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-tollgate-signature": signTollgateRequest((t) => `${t}.${body}`, sf.webhookSecret, Date.now()),
        },
        body,
      });
    const first = await post();
    expect(first.status).toBe(200);
    const second = await post();
    expect(await second.json()).toEqual({ accepted: 0, duplicates: 1 });
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["Status"]).toBe("Open - Not Contacted");
    const reverts = sf.org.history("Lead", id, "Status").filter((r) => r["CreatedById"] === sf.tollgateUser.id);
    expect(reverts.length).toBeLessThanOrEqual(2);

    const forged = await fetch(`${h.baseUrl}/webhooks/salesforce`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-tollgate-signature": signTollgateRequest((t) => `${t}.${body}`, "not-the-secret-at-all", Date.now()),
      },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it("rolls back what an allowed agent did, and a kill switch turns its allowed writes into reverts", async () => {
    const id = lead();
    await writeAs(sf.users.enrichment.token, "Lead", id, { NumberOfEmployees: 4200 });
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["NumberOfEmployees"]).toBe(4200);
    const rollback = await api("POST", "/v1/rollback", OWNER, { agentId: "enrichment-bot", last: 1 });
    expect(rollback.status).toBe(202);
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["NumberOfEmployees"]).toBeNull();

    const on = await api("PUT", "/v1/kill-switches", OWNER, {
      scope: { type: "agent", value: "enrichment-bot" },
      state: "on",
      reason: "bad provider data",
    });
    expect(on.status).toBe(200);
    await writeAs(sf.users.enrichment.token, "Lead", id, { Industry: "Retail" });
    await sf.settle();
    expect(sf.org.getRecord("Lead", id)!["Industry"]).toBe("Energy");
    await api("PUT", "/v1/kill-switches", OWNER, {
      scope: { type: "agent", value: "enrichment-bot" },
      state: "off",
      reason: "fixed",
    });
  });
});

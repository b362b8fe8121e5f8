import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import { signHubSpotV3 } from "../../src/webhooks/index.js";
import {
  PORTAL_ID,
  TOLLGATE_APP_ID,
  startTollgateWithSandbox,
  type Harness,
} from "../helpers/start-tollgate-with-sandbox.js";

// Issue 9, finding 1–3, tried as an attacker would: signed card requests (the HubSpot card
// proxy's v3 signature with the app's real secret) and real API keys against a real Tollgate in
// front of the HubSpot sandbox, whose Settings Users API says who is on which team.

const TENANT = String(PORTAL_ID);
const KEYS = {
  rita: "approver-key-rita-0123456789abcdef",
  auditor: "auditor-key-cards-0123456789abcdef",
};
// The shipped policy, with the two-person rule on contact email (card users of `default` approve).
const POLICY = readFileSync("manifests/policy.yaml", "utf8").replace(
  "          email: &contact_point\n            tier: 3\n",
  "          email: &contact_point\n            tier: 3\n            approvers: 2\n",
);

let h: Harness;
beforeAll(async () => {
  h = await startTollgateWithSandbox({
    policyYaml: POLICY,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        // Rita's key carries her email: her key and her card session are one person.
        { key: KEYS.rita, role: "approver", name: "Rita (RevOps)", email: "rita@northwind.example" },
        { key: KEYS.auditor, role: "auditor", name: "Audrey" },
      ]),
    },
  });
  // A viewer of the record who is on no approver team.
  h.started.sandbox.putUser({ id: "44", email: "viewer@northwind.example", roleIds: [], secondaryTeamIds: [] });
}, 60_000);
afterAll(async () => h?.close());

const USERS = {
  rep: { userId: "42", userEmail: "rep@northwind.example" },
  rita: { userId: "43", userEmail: "rita@northwind.example" },
  viewer: { userId: "44", userEmail: "viewer@northwind.example" },
};

/**
 * A card request as HubSpot sends it: the card's own URL, then what HubSpot appends
 * (`userId`, `portalId`, `userEmail`, `appId`), the whole URL signed (v3). `raw` is the query
 * exactly as sent, so a test can name a parameter twice, in either order.
 */
async function signedFetch(path: string, raw: string, body?: unknown): Promise<{ status: number; body: any }> {
  const method = body === undefined ? "GET" : "POST";
  const rawBody = body === undefined ? "" : JSON.stringify(body);
  const timestamp = Date.now();
  const url = `${path}?${raw}`;
  const res = await fetch(`${h.baseUrl}${url}`, {
    method,
    headers: {
      "x-hubspot-request-timestamp": String(timestamp),
      "x-hubspot-signature-v3": signHubSpotV3({
        clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
        method,
        publicUrl: `${h.baseUrl}${url}`,
        rawBody,
        timestamp,
      }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: rawBody }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const appended = (u: { userId: string; userEmail: string }, portalId = TENANT, appId = String(TOLLGATE_APP_ID)) =>
  new URLSearchParams({ userId: u.userId, portalId, userEmail: u.userEmail, appId }).toString();
const asCard = (u: { userId: string; userEmail: string }, path: string, body?: unknown) =>
  signedFetch(path, `objectId=101&${appended(u)}`, body);

async function keyFetch(key: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function events(): Promise<AuditEvent[]> {
  const page = await keyFetch(KEYS.auditor, "/v1/audit?limit=1000");
  return page.body.events as AuditEvent[];
}

let proposalCount = 0;
/** The enrichment agent proposes a new email for contact 101 through its own app: an approval opens. */
async function propose(): Promise<{ id: string; proposedValue: string }> {
  const value = `ada.${++proposalCount}@northwind.example`;
  const write = await fetch(`${h.started.sandbox.url}/crm/v3/objects/contacts/101`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${h.started.agentTokens["enrichment-bot"]}`, "content-type": "application/json" },
    body: JSON.stringify({
      properties: { ai_proposed_email: value, ai_sdr_confidence_score: "0.7", ai_sdr_source: "apollo" },
    }),
  });
  expect(write.status).toBe(200);
  await h.settle();
  const listed = await asCard(USERS.rep, "/v1/records/hubspot/contacts/101/approvals");
  expect(listed.status).toBe(200);
  const approval = (listed.body.approvals as { id: string; status: string; proposedValue: string }[]).find(
    (a) => a.status === "pending" && a.proposedValue === value,
  );
  expect(approval).toBeDefined();
  return approval!;
}

const emailNow = () => h.started.sandbox.getRecord("contacts", "101")!.properties.email;
const pendingOf = async (id: string) =>
  (await h.tollgate.services.approvals.get(TENANT, id))!.approvedBy.map((b) => (b as { id: string }).id);

describe("card identity cannot be forged (finding 1)", () => {
  it.each([
    ["the card's copy first", (p: string) => `objectId=101&userId=43&${p}`],
    ["HubSpot's copy first", (p: string) => `objectId=101&${p}&userId=43`],
  ])(
    "a viewer naming another user as well (%s) is refused 401; nothing approved, the attempt audited",
    async (_, q) => {
      const a = await propose();
      const before = emailNow();
      const res = await signedFetch(`/v1/approvals/${a.id}/approve`, q(appended(USERS.viewer)), {
        expected: { value: a.proposedValue },
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({
        code: "card_signature_invalid",
        details: { reason: "identity_repeated", param: "userId" },
      });
      expect(await pendingOf(a.id)).toEqual([]);
      expect(emailNow()).toBe(before);
      const refused = (await events()).filter((e) => e.action === "access_refused" && e.reason?.includes(a.id));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ result: "failed", error: "card_signature_invalid" });
    },
  );

  it("a card naming its portal twice, or another app's appId, is refused 401", async () => {
    const a = await propose();
    const path = `/v1/approvals/${a.id}/approve`;
    const body = { expected: { value: a.proposedValue } };
    const twoPortals = await signedFetch(path, `portalId=1&${appended(USERS.rep)}`, body);
    expect(twoPortals.body.error.details).toMatchObject({ reason: "identity_repeated", param: "portalId" });
    const otherApp = await signedFetch(path, appended(USERS.rep, TENANT, "999"), body);
    expect(otherApp.status).toBe(401);
    expect(otherApp.body.error.details.reason).toBe("wrong_app");
    expect(await pendingOf(a.id)).toEqual([]);
  });

  it("a user of a portal where Tollgate is not installed cannot act, nor can a card pick another tenant", async () => {
    const a = await propose();
    const path = `/v1/approvals/${a.id}/approve`;
    const otherPortal = await signedFetch(path, appended(USERS.rep, "99999"), { expected: { value: a.proposedValue } });
    expect(otherPortal.status).toBe(403);
    expect(otherPortal.body.error.code).toBe("portal_not_installed");
    const smuggled = await signedFetch(`${path}`, `tenantId=99999&${appended(USERS.rep)}`, {});
    expect(smuggled.status).toBe(403);
    const otherRecord = await signedFetch(
      "/v1/records/hubspot/contacts/102/approvals",
      `objectId=101&${appended(USERS.rep)}`,
    );
    expect(otherRecord.status).toBe(403);
    expect(await pendingOf(a.id)).toEqual([]);
  });
});

describe("approver groups (finding 2)", () => {
  it("a viewer outside every approver group cannot approve or reject; the attempt is audited", async () => {
    const a = await propose();
    const approve = await asCard(USERS.viewer, `/v1/approvals/${a.id}/approve`, {
      expected: { value: a.proposedValue },
    });
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe("not_an_approver");
    expect(approve.body.error.message).toMatch(/approver group "default"/);
    const reject = await asCard(USERS.viewer, `/v1/approvals/${a.id}/reject`, { reason: "I do not like it" });
    expect(reject.status).toBe(403);
    expect((await h.tollgate.services.approvals.get(TENANT, a.id))!.status).toBe("pending");
    const refused = (await events()).filter((e) => e.approval?.id === a.id && e.risk_flags.includes("not_an_approver"));
    expect(refused.map((e) => [e.actor.id, e.result])).toEqual([
      ["hubspot:user:44", "failed"],
      ["hubspot:user:44", "failed"],
    ]);
  });

  it("fails closed when the CRM cannot say who the user is", async () => {
    const a = await propose();
    const ghost = await asCard(
      { userId: "4040", userEmail: "ghost@northwind.example" },
      `/v1/approvals/${a.id}/approve`,
      {
        expected: { value: a.proposedValue },
      },
    );
    expect(ghost.status).toBe(403);
    expect(ghost.body.error.message).toMatch(/does not know this user/);
    expect(await pendingOf(a.id)).toEqual([]);
  });
});

describe("people, not credentials (finding 3)", () => {
  it("one person with a card session and an API key counts once toward a two-approver rule", async () => {
    const a = await propose();
    const before = emailNow();
    const byCard = await asCard(USERS.rita, `/v1/approvals/${a.id}/approve`, { expected: { value: a.proposedValue } });
    expect(byCard.body).toMatchObject({ outcome: "partially_approved", status: "pending" });
    const byKey = await keyFetch(KEYS.rita, `/v1/approvals/${a.id}/approve`, { expected: { value: a.proposedValue } });
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ outcome: "unchanged", status: "pending" });
    await h.settle();
    expect(emailNow()).toBe(before);
    expect(await pendingOf(a.id)).toEqual(["hubspot:user:43"]);
    // A second person completes it.
    const rep = await asCard(USERS.rep, `/v1/approvals/${a.id}/approve`, { expected: { value: a.proposedValue } });
    expect(rep.body).toMatchObject({ outcome: "approved" });
    await h.settle();
    expect(emailNow()).toBe(a.proposedValue);
  });
});

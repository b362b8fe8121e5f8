import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenCipher } from "../../src/install/index.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import { callApi } from "../helpers/call-api.js";
import { PORTAL_ID, startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * An agent app installed through Tollgate, over HTTP against a real started Tollgate and the HubSpot sandbox
 * (docs/contracts.md, crm_tokens_revoked): the admin consents through `/oauth/agents/:agentId/install`, the agent
 * fetches short-lived tokens at `POST /v1/agent-tokens`, a kill switch refuses it (403 agent_killed) and revokes
 * its refresh token at HubSpot; lifting leaves it 409 reconsent_required. A revoke HubSpot does not confirm fails
 * the point until the recheck succeeds.
 */
const TENANT = String(PORTAL_ID);
const CLIENT_ID = "sandbox-client-id";
const OWNER = "owner-key-agent-tokens-0123456789";
const ENRICH = "agent-key-enrichment-0123456789ab";
const PROSPECT = "agent-key-prospecting-0123456789a";
const AGENT = "enrichment-bot";

let h: Harness;
beforeAll(async () => {
  const policyYaml = readFileSync("manifests/policy.yaml", "utf8").replace(
    "hubspot: { appIds: [1000002] }",
    `hubspot: { appIds: [1000002], appClientId: ${CLIENT_ID} }`,
  );
  expect(policyYaml).toContain(`appClientId: ${CLIENT_ID}`);
  h = await startTollgateWithSandbox({
    policyYaml,
    env: {
      TOLLGATE_AGENT_APP_SECRETS: JSON.stringify({ [CLIENT_ID]: HUBSPOT_TEST_CLIENT_SECRET }),
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: OWNER, role: "owner", name: "olive" },
        { key: ENRICH, role: "agent", agentId: AGENT },
        { key: PROSPECT, role: "agent", agentId: "prospecting-bot" },
      ]),
    },
  });
}, 60_000);
afterAll(async () => h?.close());

/** The admin's browser: Tollgate's install link, HubSpot's "Connect app" (the sandbox), back to Tollgate. */
async function consentThroughRoutes(agentId: string): Promise<Response> {
  const start = await fetch(`${h.baseUrl}/oauth/agents/${agentId}/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const cookie = start.headers.get("set-cookie")!.split(";")[0]!;
  expect(cookie).toMatch(/^tollgate_agent_oauth_state=/);
  const consent = new URL(start.headers.get("location")!);
  expect(consent.searchParams.get("client_id")).toBe(CLIENT_ID);
  const approve = `${h.started.sandbox.url}/oauth/authorize/approve${consent.search}`;
  const back = (await fetch(approve, { redirect: "manual" })).headers.get("location")!;
  expect(new URL(back).pathname).toBe(`/oauth/agents/${agentId}/callback`);
  return fetch(back, { headers: { cookie } });
}
const fetchToken = (key: string, body: unknown = {}) => callApi(h.baseUrl, "POST", "/v1/agent-tokens", key, body);
const switchAgent = (state: "on" | "off") =>
  callApi(h.baseUrl, "PUT", "/v1/kill-switches", OWNER, {
    scope: { type: "agent", value: AGENT },
    state,
    reason: state === "on" ? "runaway" : "fixed",
  });
const storedRefresh = async () => {
  const { rows } = await h.t.db.query<{ refresh_token_enc: string | null }>(
    "SELECT refresh_token_enc FROM agent_app_tokens WHERE tenant_id = $1 AND agent_id = $2",
    [TENANT, AGENT],
  );
  const cipher = createTokenCipher({ key: h.tollgate.config.encryptionKey! });
  const sealed = rows[0]?.refresh_token_enc;
  return sealed ? cipher.decrypt(sealed, `${TENANT}:agent:${AGENT}:refresh`) : null;
};
const refreshWorks = (refreshToken: string) =>
  fetch(`${h.started.sandbox.url}/oauth/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
      client_secret: HUBSPOT_TEST_CLIENT_SECRET,
    }),
  }).then((r) => r.status === 200);
const tokenPoint = async (eventId: string) =>
  (await h.tollgate.services.containment.reportsOf(TENANT, [eventId]))
    .get(eventId)
    ?.points.find((p) => p.point === "crm_tokens_revoked");

describe("an agent app installed through Tollgate, over HTTP", () => {
  it("refuses a callback without the browser's state cookie, and a token nobody consented to", async () => {
    const start = await fetch(`${h.baseUrl}/oauth/agents/${AGENT}/install`, { redirect: "manual" });
    const consent = new URL(start.headers.get("location")!);
    const back = (
      await fetch(`${h.started.sandbox.url}/oauth/authorize/approve${consent.search}`, { redirect: "manual" })
    ).headers.get("location")!;
    expect((await fetch(back)).status).toBe(400);
    expect(await fetchToken(ENRICH)).toMatchObject({ status: 409, body: { error: { code: "reconsent_required" } } });
  });

  it("consent → token; trip → 403 and revoked at HubSpot; lift → 409 reconsent_required", async () => {
    expect((await consentThroughRoutes(AGENT)).status).toBe(200);
    const issued = await fetchToken(ENRICH);
    expect(issued.status).toBe(200);
    expect(issued.body).toEqual({ accessToken: expect.any(String), expiresAt: expect.any(String) });
    const read = await fetch(`${h.started.sandbox.url}/crm/v3/objects/contacts?limit=1`, {
      headers: { authorization: `Bearer ${issued.body.accessToken}` },
    });
    expect(read.status).toBe(200);
    // Another agent's key cannot fetch this agent's token; its own app was never installed.
    expect(await fetchToken(PROSPECT, { agentId: AGENT })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden" } },
    });
    expect(await fetchToken(PROSPECT)).toMatchObject({ status: 409, body: { error: { code: "reconsent_required" } } });
    const refreshToken = (await storedRefresh())!;

    const on = await switchAgent("on");
    expect(on.status).toBe(200);
    await waitFor(async () => (await tokenPoint(on.body.eventId))?.state === "confirmed", 10_000, "revoke confirmed");
    expect((await tokenPoint(on.body.eventId))!.detail).toContain(`lives until ${issued.body.expiresAt}`);
    expect(await refreshWorks(refreshToken)).toBe(false);
    expect(await fetchToken(ENRICH)).toMatchObject({ status: 403, body: { error: { code: "agent_killed" } } });
    const refusals = async () =>
      (
        await h.t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND event->>'action' = 'access_refused' AND event->>'error' = 'agent_killed'",
          [TENANT],
        )
      ).rows[0]!.n;
    await waitFor(async () => (await refusals()) >= 1, 5_000, "the refusal audited");

    expect((await switchAgent("off")).status).toBe(200);
    expect(await fetchToken(ENRICH)).toMatchObject({ status: 409, body: { error: { code: "reconsent_required" } } });
  }, 30_000);

  it("a revoke HubSpot does not confirm fails the point, then confirms on the recheck", async () => {
    expect((await consentThroughRoutes(AGENT)).status).toBe(200);
    expect((await fetchToken(ENRICH)).status).toBe(200);
    const refreshToken = (await storedRefresh())!;
    h.started.sandbox.setFault({ status: 500, routes: "oauth" });
    let eventId = "";
    try {
      const on = await switchAgent("on");
      eventId = on.body.eventId;
      await waitFor(async () => (await tokenPoint(eventId))?.state === "failed", 10_000, "revoke failed");
      expect(await storedRefresh()).toBe(refreshToken);
    } finally {
      h.started.sandbox.setFault(undefined);
    }
    await waitFor(async () => (await tokenPoint(eventId))?.state === "confirmed", 10_000, "revoke confirmed");
    expect(await refreshWorks(refreshToken)).toBe(false);
    expect(await storedRefresh()).toBeNull();
    expect((await switchAgent("off")).status).toBe(200);
  }, 30_000);
});

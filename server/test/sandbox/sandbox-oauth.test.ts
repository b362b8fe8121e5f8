import { Client } from "@hubspot/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubSpotSandbox, type HubSpotSandbox } from "../../sandbox/hubspot/index.js";

const CLIENT_ID = "tollgate-client";
const CLIENT_SECRET = "tollgate-secret";
const REDIRECT = "http://127.0.0.1:9/oauth/callback";
let sandbox: HubSpotSandbox;

beforeAll(async () => {
  sandbox = await createHubSpotSandbox({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    appId: 4242,
    portalId: 987,
    installingUserId: 55,
  });
});
afterAll(() => sandbox.close());

async function authorize(): Promise<string> {
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: "oauth crm.objects.contacts.write",
    state: "xyz",
  });
  const page = await fetch(`${sandbox.url}/oauth/authorize?${query}`);
  const html = await page.text();
  const href = /href="([^"]+)"/.exec(html)![1]!.replace(/&amp;|&#38;/g, "&");
  const approved = await fetch(`${sandbox.url}${href}`, { redirect: "manual" });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get("state")).toBe("xyz");
  return back.searchParams.get("code")!;
}

describe("sandbox OAuth", () => {
  it("runs install → code → tokens → refresh through the SDK, and the token writes as the app", async () => {
    const code = await authorize();
    const client = new Client({ basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const tokens = await client.oauth.tokensApi.create("authorization_code", code, REDIRECT, CLIENT_ID, CLIENT_SECRET);
    expect(tokens).toMatchObject({ tokenType: "bearer", expiresIn: 1800 });

    const raw = await fetch(`${sandbox.url}/oauth/v1/access-tokens/${tokens.accessToken}`).then(
      (r) => r.json() as Promise<Record<string, unknown>>,
    );
    expect(raw).toMatchObject({
      hub_id: 987,
      app_id: 4242,
      user_id: 55,
      scopes: ["oauth", "crm.objects.contacts.write"],
      token_type: "access",
    });
    expect(raw["expires_in"]).toBeGreaterThan(1790);
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: 987, appId: 4242, userId: 55 });

    const refreshed = await client.oauth.tokensApi.create(
      "refresh_token",
      undefined,
      undefined,
      CLIENT_ID,
      CLIENT_SECRET,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    const [c] = sandbox.seed("contacts", [{ properties: { email: "o@example.com" } }]);
    const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/${c!.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${refreshed.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ properties: { jobtitle: "Founder" } }),
    });
    expect(res.status).toBe(200);
    expect(sandbox.history("contacts", c!.id, "jobtitle")[0]).toMatchObject({
      sourceType: "INTEGRATION",
      sourceId: "4242",
    });
  });

  it("refuses a reused code, a wrong secret and an unknown refresh token", async () => {
    const code = await authorize();
    const form = (fields: Record<string, string>) =>
      fetch(`${sandbox.url}/oauth/v1/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    const base = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: CLIENT_ID };
    expect((await form({ ...base, client_secret: "wrong" })).status).toBe(400);
    const first = await form({ ...base, client_secret: CLIENT_SECRET });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ token_type: "bearer", expires_in: 1800, hub_id: 987 });
    const reused = await form({ ...base, client_secret: CLIENT_SECRET });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ status: "BAD_AUTH_CODE" });
    const badRefresh = await form({
      grant_type: "refresh_token",
      refresh_token: "nope",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(await badRefresh.json()).toMatchObject({ status: "BAD_REFRESH_TOKEN" });
  });
});

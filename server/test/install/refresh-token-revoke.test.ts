import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuthTokenError, requestHubSpotToken, revokeHubSpotRefreshToken } from "../../src/install/index.js";
import { createHubSpotSandbox } from "../../sandbox/hubspot/index.js";

// The HubSpot side of revoking an agent app's access on a kill switch (docs/operations.md#containment,
// crm_tokens_revoked): an OAuth install against the sandbox, then HubSpot's refresh-token delete.
// HubSpot revokes only the refresh token: access tokens it minted live until they expire.
type Sandbox = Awaited<ReturnType<typeof createHubSpotSandbox>>;
let sandbox: Sandbox;
const CLIENT = { clientId: "agent-app-client", clientSecret: "agent-app-secret" };
const REDIRECT = "http://127.0.0.1:9/oauth/agents/callback";

beforeAll(async () => {
  sandbox = await createHubSpotSandbox({ ...CLIENT, appId: 1000002 });
  sandbox.seed("contacts", [{ id: "101", properties: { email: "ada@northwind.example" } }]);
});
afterAll(async () => sandbox?.close());

const endpoint = () => ({ fetch: globalThis.fetch, apiBaseUrl: sandbox.url, ...CLIENT });

async function install(): Promise<{ accessToken: string; refreshToken: string }> {
  const consent = new URL(`${sandbox.url}/oauth/authorize/approve`);
  consent.search = new URLSearchParams({
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    scope: "oauth crm.objects.contacts.read",
    state: "s",
  }).toString();
  const res = await fetch(consent, { redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  const t = await requestHubSpotToken(endpoint(), { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
  return { accessToken: t.accessToken, refreshToken: t.refreshToken! };
}

const readContact = (token: string) =>
  fetch(`${sandbox.url}/crm/v3/objects/contacts/101`, { headers: { authorization: `Bearer ${token}` } });

describe("revoking an agent app's refresh token at HubSpot", () => {
  it("stops the refresh token minting access tokens; one already minted works until it expires", async () => {
    const { accessToken, refreshToken } = await install();
    const refreshed = await requestHubSpotToken(endpoint(), {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    });
    expect(refreshed.expiresInSeconds).toBe(1800);

    await revokeHubSpotRefreshToken(endpoint(), refreshToken);

    const refused = await requestHubSpotToken(endpoint(), {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthTokenError);
    expect((refused as OAuthTokenError).status).toBe(400);
    // HubSpot's documented limit: the access tokens minted before live on (up to 30 minutes).
    expect((await readContact(accessToken)).status).toBe(200);
    expect((await readContact(refreshed.accessToken)).status).toBe(200);
  });

  it("answers a token it does not know (already revoked) with an error naming the revoke", async () => {
    const { refreshToken } = await install();
    await revokeHubSpotRefreshToken(endpoint(), refreshToken);
    const again = await revokeHubSpotRefreshToken(endpoint(), refreshToken).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OAuthTokenError);
    expect((again as OAuthTokenError).status).toBe(404);
    expect((again as Error).message).toContain("revoke the refresh token");
  });
});

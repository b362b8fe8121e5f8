import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createHubSpotOAuth,
  createPrivateAppInstallation,
  createTokenCipher,
  NotInstalledError,
  OAuthDeniedError,
  OAuthStateError,
  OAuthTokenError,
  type HubSpotOAuth,
} from "../../src/install/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import {
  TEST_ENCRYPTION_KEY,
  TEST_HUBSPOT_API_BASE_URL as API,
  TEST_HUBSPOT_CLIENT_ID,
  TEST_HUBSPOT_CLIENT_SECRET,
  TEST_PUBLIC_URL,
  hubspotTokenAnswer,
  hubspotTokenInfo,
} from "../../../test/fixtures/install/oauth.js";

const SCOPES = ["oauth", "crm.objects.contacts.read", "crm.objects.contacts.write"];
const REDIRECT = `${TEST_PUBLIC_URL}/oauth/hubspot/callback`;
const cipher = createTokenCipher({ key: TEST_ENCRYPTION_KEY });

let t: TestDatabase;
let clock: Date;
let oauth: HubSpotOAuth;

/** The form body nock saw, whether it parsed it or not. */
function form(body: unknown): Record<string, string> {
  return typeof body === "string" ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>);
}

function newOAuth(): HubSpotOAuth {
  return createHubSpotOAuth({
    db: t.db,
    clientId: TEST_HUBSPOT_CLIENT_ID,
    clientSecret: TEST_HUBSPOT_CLIENT_SECRET,
    publicUrl: `${TEST_PUBLIC_URL}/`,
    scopes: SCOPES,
    optionalScopes: ["crm.objects.deals.read"],
    apiBaseUrl: API,
    cipher,
    now: () => clock,
  });
}

function expectCodeExchange(code: string, answer: Record<string, unknown>, status = 200) {
  return nock(API)
    .post("/oauth/v1/token", (body) => {
      const f = form(body);
      return (
        f.grant_type === "authorization_code" &&
        f.code === code &&
        f.redirect_uri === REDIRECT &&
        f.client_id === TEST_HUBSPOT_CLIENT_ID &&
        f.client_secret === TEST_HUBSPOT_CLIENT_SECRET
      );
    })
    .matchHeader("content-type", /application\/x-www-form-urlencoded/)
    .reply(status, answer);
}

function expectRefresh(refreshToken: string, answer: Record<string, unknown>, status = 200) {
  return nock(API)
    .post("/oauth/v1/token", (body) => {
      const f = form(body);
      return (
        f.grant_type === "refresh_token" &&
        f.refresh_token === refreshToken &&
        f.client_id === TEST_HUBSPOT_CLIENT_ID &&
        f.client_secret === TEST_HUBSPOT_CLIENT_SECRET &&
        f.code === undefined
      );
    })
    .reply(status, answer);
}

async function stateFrom(o: HubSpotOAuth): Promise<string> {
  return new URL(await o.authorizeUrl()).searchParams.get("state")!;
}

/** Installs portal `hubId` with the given tokens through the real callback path. */
async function install(hubId: number, access: string, refresh: string): Promise<void> {
  const state = await stateFrom(oauth);
  const code = `code-${hubId}-${access}`;
  expectCodeExchange(code, hubspotTokenAnswer({ access, refresh, hubId, scopes: SCOPES }));
  nock(API)
    .get(`/oauth/v1/access-tokens/${access}`)
    .reply(200, hubspotTokenInfo({ token: access, hubId }));
  await oauth.handleCallback({ code, state, browserState: state });
}

async function row(tenantId: string): Promise<Record<string, unknown> | undefined> {
  return (await t.db.query("SELECT * FROM installations WHERE tenant_id = $1", [tenantId])).rows[0];
}

beforeAll(async () => {
  t = await createTestDatabase({ only: ["000", "002"] });
  nock.disableNetConnect();
});
afterAll(async () => {
  nock.enableNetConnect();
  await t.drop();
});
beforeEach(() => {
  clock = new Date("2026-01-05T10:00:00.000Z");
  oauth = newOAuth();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, "every expected HubSpot call was made").toEqual([]);
});

describe("authorizeUrl", () => {
  it("carries client id, redirect URI, scopes, optional scopes and a signed one-time state it does not store", async () => {
    const raw = await oauth.authorizeUrl();
    const url = new URL(raw);
    expect(url.origin + url.pathname).toBe("https://app.hubspot.com/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe(TEST_HUBSPOT_CLIENT_ID);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
    expect(url.searchParams.get("scope")).toBe(SCOPES.join(" "));
    expect(raw).toContain(`scope=${SCOPES.join("%20")}`);
    expect(url.searchParams.get("optional_scope")).toBe("crm.objects.deals.read");
    const state = url.searchParams.get("state")!;
    // Signed (<nonce>.<expires ms>.<mac>) and not stored: an anonymous install request writes no row.
    expect(state).toMatch(/^[A-Za-z0-9_-]{22}\.(\d+)\.[A-Za-z0-9_-]{43}$/);
    expect(Number(state.split(".")[1]) - clock.getTime()).toBe(10 * 60_000);
    const stored = await t.db.query("SELECT 1 FROM oauth_states WHERE state = $1", [state]);
    expect(stored.rowCount).toBe(0);
  });

  it("issues a different state each time and can preselect a portal", async () => {
    const a = await stateFrom(oauth);
    const b = await stateFrom(oauth);
    expect(a).not.toBe(b);
    expect(new URL(await oauth.authorizeUrl({ portalId: "62515" })).pathname).toBe("/oauth/62515/authorize");
  });
});

describe("handleCallback", () => {
  it("exchanges the code, learns the portal, stores the tokens encrypted", async () => {
    const state = await stateFrom(oauth);
    expectCodeExchange(
      "code-1",
      hubspotTokenAnswer({ access: "access-plain-111", refresh: "refresh-plain-111", hubId: 62515, scopes: SCOPES }),
    );
    nock(API)
      .get("/oauth/v1/access-tokens/access-plain-111")
      .reply(
        200,
        hubspotTokenInfo({
          token: "access-plain-111",
          hubId: 62515,
          hubDomain: "acme.hubspot.com",
          appId: 4242,
          user: "ada@acme.test",
        }),
      );

    const installation = await oauth.handleCallback({ code: "code-1", state, browserState: state });
    expect(installation).toMatchObject({
      tenantId: "62515",
      crm: "hubspot",
      authMode: "oauth",
      status: "active",
      hubDomain: "acme.hubspot.com",
      appId: "4242",
      installedBy: "ada@acme.test",
      scopes: SCOPES,
    });
    expect(installation.expiresAt?.getTime()).toBe(clock.getTime() + 1800_000);
    expect(JSON.stringify(installation)).not.toContain("plain");

    const stored = await row("62515");
    const dump = JSON.stringify(stored);
    expect(dump).not.toContain("access-plain-111");
    expect(dump).not.toContain("refresh-plain-111");
    expect(cipher.decrypt(stored!.access_token_enc as string, "62515:access")).toBe("access-plain-111");
    expect(cipher.decrypt(stored!.refresh_token_enc as string, "62515:refresh")).toBe("refresh-plain-111");
    expect((await t.db.query("SELECT crm FROM tenants WHERE tenant_id = '62515'")).rows).toEqual([{ crm: "hubspot" }]);
    expect(await oauth.getAccessToken("62515")).toBe("access-plain-111");
  });

  it("learns the portal from token info when the token answer has no hub_id", async () => {
    const state = await stateFrom(oauth);
    expectCodeExchange("code-2", hubspotTokenAnswer({ access: "access-2", refresh: "refresh-2" }));
    nock(API)
      .get("/oauth/v1/access-tokens/access-2")
      .reply(200, hubspotTokenInfo({ token: "access-2", hubId: 70001 }));
    expect((await oauth.handleCallback({ code: "code-2", state, browserState: state })).tenantId).toBe("70001");
  });

  it("installs without the token info when hub_id came with the tokens and info fails", async () => {
    const state = await stateFrom(oauth);
    expectCodeExchange("code-3", hubspotTokenAnswer({ access: "access-3", refresh: "refresh-3", hubId: 70002 }));
    nock(API).get("/oauth/v1/access-tokens/access-3").reply(503, { status: "error" });
    const installation = await oauth.handleCallback({ code: "code-3", state, browserState: state });
    expect(installation).toMatchObject({ tenantId: "70002", hubDomain: undefined });
  });

  it("refuses an unknown, a missing, a reused and an expired state without calling HubSpot", async () => {
    await expect(oauth.handleCallback({ code: "c", state: "not-a-state-we-issued" })).rejects.toMatchObject({
      code: "oauth_state_invalid",
      reason: "unknown",
      httpStatus: 400,
    });
    await expect(oauth.handleCallback({ code: "c" })).rejects.toMatchObject({ reason: "missing" });

    const used = await stateFrom(oauth);
    expectCodeExchange("code-4", hubspotTokenAnswer({ access: "access-4", refresh: "refresh-4", hubId: 70003 }));
    nock(API)
      .get("/oauth/v1/access-tokens/access-4")
      .reply(200, hubspotTokenInfo({ token: "access-4", hubId: 70003 }));
    await oauth.handleCallback({ code: "code-4", state: used, browserState: used });
    await expect(oauth.handleCallback({ code: "code-4", state: used, browserState: used })).rejects.toMatchObject({
      reason: "used",
    });

    const old = await stateFrom(oauth);
    clock = new Date(clock.getTime() + 10 * 60_000 + 1);
    const err = await oauth.handleCallback({ code: "c", state: old, browserState: old }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthStateError);
    expect(err).toMatchObject({ reason: "expired" });
  });

  it("lets only one of two concurrent callbacks with the same state through", async () => {
    const state = await stateFrom(oauth);
    expectCodeExchange("code-5", hubspotTokenAnswer({ access: "access-5", refresh: "refresh-5", hubId: 70004 }));
    nock(API)
      .get("/oauth/v1/access-tokens/access-5")
      .reply(200, hubspotTokenInfo({ token: "access-5", hubId: 70004 }));
    const results = await Promise.allSettled([
      oauth.handleCallback({ code: "code-5", state, browserState: state }),
      oauth.handleCallback({ code: "code-5", state, browserState: state }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { reason: "used" } });
  });

  it("reports HubSpot's ?error= and burns the state", async () => {
    const state = await stateFrom(oauth);
    const err = await oauth
      .handleCallback({ state, browserState: state, error: "access_denied", errorDescription: "The user declined" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthDeniedError);
    expect((err as OAuthDeniedError).message).toContain("The user declined");
    await expect(oauth.handleCallback({ code: "c", state, browserState: state })).rejects.toMatchObject({
      reason: "used",
    });
  });

  it("turns a refused code into a 502 OAuthTokenError and stores nothing", async () => {
    const before = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM installations")).rows[0]!.n;
    const state = await stateFrom(oauth);
    expectCodeExchange("expired-code", { status: "BAD_AUTH_CODE", message: "auth code not found" }, 400);
    const err = await oauth
      .handleCallback({ code: "expired-code", state, browserState: state })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthTokenError);
    expect(err).toMatchObject({
      code: "oauth_token_exchange_failed",
      httpStatus: 502,
      status: 400,
      details: { error: "BAD_AUTH_CODE" },
    });
    expect((err as Error).message).not.toContain(TEST_HUBSPOT_CLIENT_SECRET);
    expect((await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM installations")).rows[0]!.n).toBe(before);
  });
});

describe("getAccessToken", () => {
  it("refreshes once for five concurrent callers when the token expires within 5 minutes", async () => {
    await install(80001, "old-access", "the-refresh");
    // 26 minutes later the 30-minute token has 4 minutes left.
    clock = new Date(clock.getTime() + 26 * 60_000);
    expectRefresh("the-refresh", hubspotTokenAnswer({ access: "new-access", refresh: "the-refresh", expiresIn: 1800 }));

    const tokens = await Promise.all(Array.from({ length: 5 }, () => oauth.getAccessToken("80001")));
    expect(tokens).toEqual(Array(5).fill("new-access"));

    const stored = await row("80001");
    expect(cipher.decrypt(stored!.access_token_enc as string, "80001:access")).toBe("new-access");
    expect(new Date(stored!.expires_at as Date).getTime()).toBe(clock.getTime() + 1800_000);
    expect(JSON.stringify(stored)).not.toContain("new-access");
    // Fresh now: served from the database with no HubSpot call (nock would refuse one).
    expect(await newOAuth().getAccessToken("80001")).toBe("new-access");
  });

  it("serves a token with more than 5 minutes left without refreshing", async () => {
    await install(80002, "access-80002", "refresh-80002");
    clock = new Date(clock.getTime() + 24 * 60_000);
    expect(await oauth.getAccessToken("80002")).toBe("access-80002");
  });

  it("keeps a token refreshed by another process when it loses the race", async () => {
    await install(80003, "a0", "r0");
    clock = new Date(clock.getTime() + 29 * 60_000);
    const other = newOAuth();
    expectRefresh("r0", hubspotTokenAnswer({ access: "a1", refresh: "r0" }));
    expectRefresh("r0", hubspotTokenAnswer({ access: "a2", refresh: "r0" }));
    const [mine, theirs] = await Promise.all([oauth.getAccessToken("80003"), other.getAccessToken("80003")]);
    expect(new Set([mine, theirs])).toEqual(new Set(["a1", "a2"]));
    const stored = cipher.decrypt((await row("80003"))!.access_token_enc as string, "80003:access");
    expect(["a1", "a2"]).toContain(stored);
  });

  it("marks the installation for re-auth when HubSpot refuses the refresh token", async () => {
    await install(80004, "a-80004", "revoked-refresh");
    clock = new Date(clock.getTime() + 31 * 60_000);
    expectRefresh("revoked-refresh", { status: "BAD_REFRESH_TOKEN", message: "missing or unknown refresh token" }, 400);
    await expect(oauth.getAccessToken("80004")).rejects.toMatchObject({ code: "oauth_refresh_failed" });
    expect((await row("80004"))!.status).toBe("reauth_required");
    const err = await oauth.getAccessToken("80004").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotInstalledError);
    expect(err).toMatchObject({ reason: "reauth_required" });
  });

  it("falls back to the current token when a refresh fails for a passing reason", async () => {
    await install(80005, "still-valid", "refresh-80005");
    clock = new Date(clock.getTime() + 27 * 60_000);
    expectRefresh("refresh-80005", { status: "error" }, 502);
    expect(await oauth.getAccessToken("80005")).toBe("still-valid");
    expect((await row("80005"))!.status).toBe("active");
  });

  it("refuses a tenant that never installed", async () => {
    await expect(oauth.getAccessToken("99999")).rejects.toMatchObject({
      code: "not_installed",
      reason: "never_installed",
    });
  });
});

describe("uninstall", () => {
  it("wipes the tokens, keeps the row and the tenant, and a reinstall reactivates it", async () => {
    await install(90001, "a-90001", "r-90001");
    clock = new Date(clock.getTime() + 60_000);
    const result = await oauth.uninstall("90001");
    expect(result).toMatchObject({
      tenantId: "90001",
      status: "uninstalled",
      uninstalledAt: clock,
      expiresAt: undefined,
    });

    const stored = await row("90001");
    expect(stored).toMatchObject({
      status: "uninstalled",
      access_token_enc: null,
      refresh_token_enc: null,
      expires_at: null,
    });
    expect((await t.db.query("SELECT 1 FROM tenants WHERE tenant_id = '90001'")).rows).toHaveLength(1);
    await expect(oauth.getAccessToken("90001")).rejects.toMatchObject({ reason: "uninstalled" });
    expect(await oauth.uninstall("90001")).toBeUndefined();

    await install(90001, "a2-90001", "r2-90001");
    expect(await oauth.getInstallation("90001")).toMatchObject({ status: "active", uninstalledAt: undefined });
    expect(await oauth.getAccessToken("90001")).toBe("a2-90001");
  });
});

describe("createPrivateAppInstallation", () => {
  it("hands out its static token for its own portal only", async () => {
    const p = createPrivateAppInstallation({ accessToken: "pat-na1-static", portalId: "55555" });
    expect(await p.getAccessToken("55555")).toBe("pat-na1-static");
    await expect(p.getAccessToken("55556")).rejects.toBeInstanceOf(NotInstalledError);
  });

  it("records an installation without any token, idempotently", async () => {
    const p = createPrivateAppInstallation({ accessToken: "pat-na1-secret-value", portalId: "55557" });
    const first = await p.save(t.db, { now: new Date("2026-01-01T00:00:00Z") });
    const second = await p.save(t.db, { now: new Date("2026-02-01T00:00:00Z") });
    expect(first).toMatchObject({ tenantId: "55557", authMode: "private_app", status: "active" });
    expect(second.installedAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(JSON.stringify(await row("55557"))).not.toContain("pat-na1-secret-value");
    await expect(oauth.getAccessToken("55557")).rejects.toMatchObject({ reason: "other_auth_mode" });
  });
});

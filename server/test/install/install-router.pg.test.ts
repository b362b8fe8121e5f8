import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import nock from "nock";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createHubSpotOAuth,
  createInstallRouter,
  createTokenCipher,
  type Installation,
} from "../../src/install/index.js";
import { TEST_REDIS_URL, createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import {
  TEST_ENCRYPTION_KEY,
  TEST_HUBSPOT_API_BASE_URL as API,
  TEST_HUBSPOT_CLIENT_ID,
  TEST_HUBSPOT_CLIENT_SECRET,
  TEST_PUBLIC_URL,
  hubspotTokenAnswer,
  hubspotTokenInfo,
} from "../../../test/fixtures/install/oauth.js";

let t: TestDatabase;
let server: Server;
let base: string;
const installed: Installation[] = [];
let failSetup = false;
/** The state cookie of the browser that started the last install. */
let browserCookie = "";
let oauthForLimit: Parameters<typeof createInstallRouter>[0]["oauth"];

beforeAll(async () => {
  t = await createTestDatabase({ only: ["000", "002"] });
  const oauth = createHubSpotOAuth({
    db: t.db,
    clientId: TEST_HUBSPOT_CLIENT_ID,
    clientSecret: TEST_HUBSPOT_CLIENT_SECRET,
    publicUrl: TEST_PUBLIC_URL,
    scopes: ["oauth", "crm.objects.contacts.read"],
    apiBaseUrl: API,
    cipher: createTokenCipher({ key: TEST_ENCRYPTION_KEY }),
  });
  oauthForLimit = oauth;
  const app = express();
  app.use(
    createInstallRouter({
      oauth,
      limiter: new RateLimiterMemory({ points: 1000, duration: 60 }),
      onInstalled: async (i) => {
        installed.push(i);
        if (failSetup) throw new Error("provisioning exploded at /secret/path.ts:12");
      },
    }),
  );
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(async () => {
  nock.enableNetConnect();
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  failSetup = false;
  expect(pending).toEqual([]);
});

async function startInstall(): Promise<string> {
  const res = await fetch(`${base}/oauth/hubspot/install`, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  expect(location.origin).toBe("https://app.hubspot.com");
  expect(location.searchParams.get("redirect_uri")).toBe(`${TEST_PUBLIC_URL}/oauth/hubspot/callback`);
  browserCookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return location.searchParams.get("state")!;
}

function expectTokens(code: string, access: string, hubId: number) {
  nock(API)
    .post(
      "/oauth/v1/token",
      (body) =>
        new URLSearchParams(typeof body === "string" ? body : new URLSearchParams(body).toString()).get("code") ===
        code,
    )
    .reply(200, hubspotTokenAnswer({ access, refresh: `r-${access}`, hubId }));
  nock(API)
    .get(`/oauth/v1/access-tokens/${access}`)
    .reply(200, hubspotTokenInfo({ token: access, hubId, hubDomain: "acme.hubspot.com" }));
}

/** HubSpot's redirect back, in the browser that started the install unless another cookie is given. */
function callback(query: Record<string, string>, cookie = browserCookie): Promise<Response> {
  return fetch(`${base}/oauth/hubspot/callback?${new URLSearchParams(query)}`, { headers: { cookie } });
}

function expectNoStack(html: string) {
  expect(html).not.toMatch(/\bat .+\(.*:\d+:\d+\)/);
  expect(html).not.toContain(".ts:");
}

describe("install router", () => {
  it("redirects to HubSpot with a state, then shows a success page and runs setup", async () => {
    const state = await startInstall();
    expectTokens("good-code", "acc-1", 62515);
    const res = await callback({ code: "good-code", state });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("Tollgate is installed");
    expect(html).toContain("acme.hubspot.com (portal 62515)");
    expect(html).not.toContain("acc-1");
    expect(installed.at(-1)).toMatchObject({ tenantId: "62515", status: "active" });
  });

  it("answers 400 with a clear page for a reused, unknown or missing state", async () => {
    const state = await startInstall();
    expectTokens("code-2", "acc-2", 62516);
    expect((await callback({ code: "code-2", state })).status).toBe(200);

    const reused = await callback({ code: "code-2", state });
    expect(reused.status).toBe(400);
    const html = await reused.text();
    expect(html).toContain("already been used");
    expect(html).toContain("oauth_state_invalid");
    expectNoStack(html);

    const unknown = await callback({ code: "x", state: "forged" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("not issued by this Tollgate server");
    expect((await callback({ code: "x" })).status).toBe(400);
  });

  it("shows HubSpot's error, escaped, with 400", async () => {
    const state = await startInstall();
    const res = await callback({ state, error: "access_denied", error_description: "<script>alert(1)</script>" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("answers 502 when HubSpot's token endpoint fails", async () => {
    const state = await startInstall();
    nock(API).post("/oauth/v1/token").reply(500, "upstream trouble");
    const res = await callback({ code: "c", state });
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toContain("oauth_token_exchange_failed");
    expect(html).not.toContain(TEST_HUBSPOT_CLIENT_SECRET);
  });

  it("says the install landed but setup failed, without leaking the error's internals", async () => {
    failSetup = true;
    const state = await startInstall();
    expectTokens("code-3", "acc-3", 62517);
    const res = await callback({ code: "code-3", state });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Installed, but setup did not finish");
    expect(html).toContain("portal 62517");
    expect(html).not.toContain("exploded");
    expectNoStack(html);
  });
});

describe("OAuth install attacks (issue 9, finding 9)", () => {
  it("binds the state to the browser: HttpOnly, SameSite=Lax, short-lived cookie", async () => {
    const res = await fetch(`${base}/oauth/hubspot/install`, { redirect: "manual" });
    const state = new URL(res.headers.get("location")!).searchParams.get("state")!;
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toContain(`tollgate_oauth_state=${state}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/Path=\/oauth\/hubspot/);
    expect(cookie).toMatch(/Secure/);
  });

  it("refuses a callback carrying a valid state in a browser that did not start the install (login CSRF)", async () => {
    // The attacker starts an install in their own browser and sends the victim the callback link.
    const state = await startInstall();
    const attackerCookie = browserCookie;
    await startInstall(); // the victim's own browser, with its own state cookie
    for (const cookie of ["", browserCookie, `tollgate_oauth_state=${state}x`]) {
      const res = await callback({ code: "attacker-code", state }, cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("not started in this browser");
    }
    // Nothing was exchanged with HubSpot (no nock for it: a call would fail the test), nothing stored.
    const stored = await t.db.query("SELECT 1 FROM oauth_states WHERE state = $1", [state]);
    expect(stored.rowCount).toBe(0);
    // The attacker's own browser still could, so the link was valid all along.
    expectTokens("attacker-code", "acc-9", 62519);
    expect((await callback({ code: "attacker-code", state }, attackerCookie)).status).toBe(200);
  });

  it("anonymous install requests write no row", async () => {
    const count = async () =>
      Number((await t.db.query<{ n: string }>("SELECT count(*) AS n FROM oauth_states")).rows[0]!.n);
    const before = await count();
    for (let i = 0; i < 5; i++) await startInstall();
    expect(await count()).toBe(before);
  });

  it("rate-limits install requests per client: 429 with Retry-After, and no redirect", async () => {
    const app = express();
    app.use(createInstallRouter({ oauth: oauthForLimit, limiter: new RateLimiterMemory({ points: 3, duration: 60 }) }));
    const limited = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => limited.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/oauth/hubspot/install`;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i++) {
        last = await fetch(url, { redirect: "manual" });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([302, 302, 302, 429, 429]);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(last!.headers.get("location")).toBeNull();
      expect(await last!.text()).toContain("Too many install attempts");
    } finally {
      await new Promise((resolve) => limited.close(resolve));
    }
  });

  it("two Tollgate processes on one Redis share the install budget: 20 a minute per client, not 20 each", async () => {
    // Each process has its own Redis connection and its own router, as two replicas behind a load balancer.
    const prefix = `install-limit-${randomUUID()}`;
    const clients = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    const servers = clients.map((redis) => {
      const app = express();
      app.use(createInstallRouter({ oauth: oauthForLimit, redis, prefix }));
      return app.listen(0, "127.0.0.1");
    });
    try {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.once("listening", resolve))));
      const urls = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/oauth/hubspot/install`);
      // The attacker alternates between the processes: each alone would allow 20.
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(urls[i % 2]!, { redirect: "manual" })).status);
      expect(statuses).toEqual(Array(20).fill(302));
      for (const url of urls) {
        const refused = await fetch(url, { redirect: "manual" });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(refused.headers.get("location")).toBeNull();
      }
    } finally {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      const keys = await clients[0]!.keys(`${prefix}:*`);
      if (keys.length) await clients[0]!.del(...keys);
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
});

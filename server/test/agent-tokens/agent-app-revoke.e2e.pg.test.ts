import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentTokenBroker, ReconsentRequiredError, type AgentTokenBroker } from "../../src/agent-tokens/index.js";
import { createContainment, type Containment } from "../../src/containment/index.js";
import type { CrmConnector } from "../../src/crm/index.js";
import {
  createHubSpotOAuth,
  createTokenCipher,
  DEFAULT_HUBSPOT_SCOPES,
  OAuthStateError,
} from "../../src/install/index.js";
import type { KillSwitchService } from "../../src/killswitch/index.js";
import { compilePolicy, parsePolicy } from "../../src/policy/index.js";
import { createHubSpotSandbox } from "../../sandbox/hubspot/index.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "../killswitch/helpers.js";

/**
 * An agent app installed through Tollgate (docs/contracts.md, crm_tokens_revoked), against the HubSpot
 * sandbox's OAuth on real PostgreSQL and Redis: the agent consents through Tollgate, gets short-lived
 * access tokens, and a kill switch revokes its refresh token at HubSpot — Tollgate's own install and an
 * agent outside the switch keep theirs. Lifting restores nothing: only a new consent does.
 */
type Sandbox = Awaited<ReturnType<typeof createHubSpotSandbox>>;
const APP = { clientId: "agent-app-client", clientSecret: "agent-app-secret" };
const tenantId = "62515";

describe("a kill switch revokes an agent app's HubSpot refresh token", () => {
  let h: KillSwitchHarness;
  let sandbox: Sandbox;
  let broker: AgentTokenBroker;
  let service: KillSwitchService;
  let containment: Containment;
  const cipher = createTokenCipher({ key: randomBytes(32).toString("hex") });

  beforeAll(async () => {
    h = await createKillSwitchHarness("agent-tokens");
    sandbox = await createHubSpotSandbox({ ...APP, appId: 1000002, portalId: Number(tenantId) });
    const policy = compilePolicy(
      parsePolicy(`version: 1
tenant: "${tenantId}"
agents:
  - { id: runaway-bot, role: enrichment, hubspot: { appClientId: ${APP.clientId} } }
  - { id: other-bot, role: other, hubspot: { appClientId: ${APP.clientId} } }
  - { id: plain-bot, role: other }
roles:
  enrichment: { objects: { contact: { read: allow } } }
  other: { objects: { contact: { read: allow } } }
`),
    );
    broker = createAgentTokenBroker({
      db: h.t.db,
      cipher,
      publicUrl: "http://tollgate.test",
      appOf: (agentId) =>
        policy.manifest.agents.find((a) => a.id === agentId)?.hubspot?.appClientId === APP.clientId ? APP : undefined,
      apiBaseUrl: sandbox.url,
      authorizeBaseUrl: sandbox.url,
    });
    service = h.service({ roleOf: (_t, agentId) => policy.agents.get(agentId)?.role });
    await service.start();
    containment = createContainment({
      db: h.t.db,
      audit: h.audit,
      killSwitches: service,
      policyOf: () => policy,
      // The points read only which CRM this is; HubSpot offers no user freeze.
      connectorFor: async () => ({ crm: "hubspot" }) as CrmConnector,
      ownUserIds: () => [],
      agentTokens: broker,
      recheckMs: 50,
      quietMs: 0,
    });
    service.onSwitched((change) => void containment.handle(change));
  }, 60_000);
  afterAll(async () => {
    await containment?.close();
    await h?.teardown();
    await sandbox?.close();
  });

  /** The admin clicks "Connect app" on HubSpot's consent page; the browser comes back with its state cookie. */
  async function consent(agentId: string): Promise<void> {
    const { url, state } = broker.authorizeUrl(agentId);
    const approve = new URL(url.replace("/oauth/authorize?", "/oauth/authorize/approve?"));
    const back = new URL((await fetch(approve, { redirect: "manual" })).headers.get("location")!);
    expect(back.pathname).toBe(`/oauth/agents/${agentId}/callback`);
    const params = { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! };
    expect(await broker.handleCallback(agentId, { ...params, browserState: state })).toEqual({ tenantId });
  }
  const refreshWorks = (refreshToken: string) =>
    fetch(`${sandbox.url}/oauth/v1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
      }),
    }).then((r) => r.status === 200);
  const storedRefresh = async (agentId: string) => {
    const { rows } = await h.t.db.query<{ refresh_token_enc: string | null }>(
      "SELECT refresh_token_enc FROM agent_app_tokens WHERE tenant_id = $1 AND agent_id = $2",
      [tenantId, agentId],
    );
    const sealed = rows[0]?.refresh_token_enc;
    return sealed ? cipher.decrypt(sealed, `${tenantId}:agent:${agentId}:refresh`) : null;
  };

  it("refuses a consent callback whose state another browser holds", async () => {
    const { url } = broker.authorizeUrl("runaway-bot");
    const state = new URL(url).searchParams.get("state")!;
    const err = await broker
      .handleCallback("runaway-bot", { code: "x", state, browserState: "attacker" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthStateError);
    await expect(broker.issueAccessToken(tenantId, "runaway-bot")).rejects.toBeInstanceOf(ReconsentRequiredError);
  });

  it("trip: revokes the agent's refresh token at HubSpot, confirms the point; lift: still reconsent_required", async () => {
    await consent("runaway-bot");
    await consent("other-bot");
    // Tollgate's own install in the same portal (same sandbox app: distinct tokens, never the agent's).
    const own = createHubSpotOAuth({
      db: h.t.db,
      cipher,
      ...APP,
      publicUrl: "http://tollgate.test",
      scopes: [...DEFAULT_HUBSPOT_SCOPES],
      apiBaseUrl: sandbox.url,
      authorizeBaseUrl: sandbox.url,
    });
    const ownState = new URL(await own.authorizeUrl()).searchParams.get("state")!;
    const ownBack = new URL(
      (
        await fetch(
          `${sandbox.url}/oauth/authorize/approve?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: own.redirectUri, scope: "oauth", state: ownState }).toString()}`,
          { redirect: "manual" },
        )
      ).headers.get("location")!,
    );
    await own.handleCallback({ code: ownBack.searchParams.get("code")!, state: ownState, browserState: ownState });
    const ownRow = await h.t.db.query<{ refresh_token_enc: string }>(
      "SELECT refresh_token_enc FROM installations WHERE tenant_id = $1",
      [tenantId],
    );
    const ownRefresh = cipher.decrypt(ownRow.rows[0]!.refresh_token_enc, `${tenantId}:refresh`);
    const runawayRefresh = (await storedRefresh("runaway-bot"))!;
    expect(await refreshWorks(runawayRefresh)).toBe(true);

    const issued = await broker.issueAccessToken(tenantId, "runaway-bot");
    const read = (token: string) =>
      fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(issued.accessToken)).status).toBe(200);
    const otherRefresh = (await storedRefresh("other-bot"))!;

    const on = await service.set(
      tenantId,
      { scope: { type: "agent", value: "runaway-bot" }, state: "on", reason: "runaway" },
      { type: "human", id: "olive", role: "owner" },
    );
    await containment.idle();
    const report = (await containment.reportsOf(tenantId, [on.eventId!])).get(on.eventId!)!;
    const point = report.points.find((p) => p.point === "crm_tokens_revoked")!;
    expect(point).toMatchObject({ state: "confirmed", count: 1 });
    expect(point.detail).toContain(`lives until ${issued.expiresAt}`);
    expect(point.detail).toContain("/oauth/agents/runaway-bot/install");

    // HubSpot itself refuses the revoked refresh token; Tollgate holds it no more.
    expect(await refreshWorks(runawayRefresh)).toBe(false);
    expect(await refreshWorks(ownRefresh)).toBe(true);
    expect(await storedRefresh("runaway-bot")).toBeNull();
    await expect(broker.issueAccessToken(tenantId, "runaway-bot")).rejects.toMatchObject({
      code: "reconsent_required",
    });
    // The agent outside the switch keeps its consent.
    expect(await refreshWorks(otherRefresh)).toBe(true);
    expect((await broker.issueAccessToken(tenantId, "other-bot")).accessToken).toMatch(/./);

    const off = await service.set(
      tenantId,
      { scope: { type: "agent", value: "runaway-bot" }, state: "off", reason: "fixed" },
      { type: "human", id: "olive", role: "owner" },
    );
    await containment.idle();
    const lifted = (await containment.reportsOf(tenantId, [off.eventId!])).get(off.eventId!)!;
    expect(lifted.points.find((p) => p.point === "crm_tokens_revoked")!.detail).toContain("re-consent needed");
    await expect(broker.issueAccessToken(tenantId, "runaway-bot")).rejects.toMatchObject({
      code: "reconsent_required",
    });

    await consent("runaway-bot");
    expect((await broker.issueAccessToken(tenantId, "runaway-bot")).accessToken).toMatch(/./);
  }, 30_000);
});

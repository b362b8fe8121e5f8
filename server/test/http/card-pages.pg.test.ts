import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HUBSPOT_TEST_APP_ID,
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
} from "../../../test/fixtures/index.js";
import { createApprovalService, createApprovalStore } from "../../src/approvals/index.js";
import type { CrmUser } from "../../src/crm/index.js";
import { createExceptionQueue } from "../../src/exceptions/index.js";
import {
  createApiKeyAuthenticator,
  createCardPageRouter,
  createHttpApp,
  createKillSwitchRouter,
} from "../../src/http/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import {
  approverGroupOf,
  cardRoleOf,
  createPolicyRegistry,
  whyNotApprover,
  type PolicyRegistry,
} from "../../src/policy/index.js";
import { createSettingsView } from "../../src/settings/index.js";
import { createSnapshotStore } from "../../src/snapshots/index.js";
import { cardFetch } from "../approvals/approval-harness.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "../killswitch/helpers.js";

// The HubSpot app's pages go through the same signed card requests and role checks as the cards:
// the inbox across records, the RevOps settings page, and kill switches pulled and lifted from it.
const PORTAL = "62515";
const POLICY = `version: 1
tenant: "${PORTAL}"
agents:
  - { id: enrich, role: enrichment, hubspot: { appIds: [111] } }
roles:
  enrichment:
    objects:
      contact:
        fields:
          jobtitle: { tier: 3 }
approvers:
  default: { hubspot: { teamIds: [4201] } }
  revops_admin: { hubspot: { userIds: [7] } }
  owner: { hubspot: { superAdmins: true } }
`;
const USERS: Record<string, CrmUser> = {
  "7": {
    crm: "hubspot",
    id: "7",
    email: "rita@acme.test",
    roleIds: [],
    teamIds: [],
    superAdmin: false,
    permissionSets: [],
  },
  "8": {
    crm: "hubspot",
    id: "8",
    email: "olga@acme.test",
    roleIds: [],
    teamIds: [],
    superAdmin: true,
    permissionSets: [],
  },
  "9": {
    crm: "hubspot",
    id: "9",
    email: "rep@acme.test",
    roleIds: [],
    teamIds: ["4201"],
    superAdmin: false,
    permissionSets: [],
  },
};

let h: KillSwitchHarness;
let policies: PolicyRegistry;
let server: Server;
let base: string;
const as = (userId: string) => ({ portalId: PORTAL, userId, userEmail: USERS[userId]!.email! });

beforeAll(async () => {
  h = await createKillSwitchHarness("card-pages");
  const dir = mkdtempSync(join(tmpdir(), "card-pages-"));
  writeFileSync(join(dir, "policy.yaml"), POLICY);
  policies = await createPolicyRegistry({ db: h.t.db, audit: h.audit, path: join(dir, "policy.yaml") });
  const killSwitches = h.service();
  const store = createApprovalStore(h.t.db);
  const manifest = () => policies.current(PORTAL).compiled.manifest;
  const approvals = createApprovalService({
    db: h.t.db,
    audit: h.audit,
    store,
    snapshots: createSnapshotStore(h.t.db),
    // The inbox reads; nothing here decides, so no write is ever queued.
    writes: { enqueue: async () => [], kick: async () => undefined },
    whyNotAllowed: (a, who) => whyNotApprover(manifest(), approverGroupOf(manifest(), a.ruleId), who.crmUser),
  });
  const authenticate = createApiKeyAuthenticator([]);
  const card = {
    clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
    publicUrl: HUBSPOT_TEST_PUBLIC_URL,
    appId: String(HUBSPOT_TEST_APP_ID),
    isInstalled: async (portalId: string) => portalId === PORTAL,
    getUser: async (c: { userId: string }) => USERS[c.userId],
    roleOf: (c: { user?: CrmUser | undefined }) => cardRoleOf(manifest(), c.user),
  };
  const settings = createSettingsView({
    db: h.t.db,
    killSwitches,
    policies,
    exceptions: createExceptionQueue({ db: h.t.db, audit: h.audit }),
  });
  const app = createHttpApp({
    logger: createLogger({ level: "silent" }),
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: {},
    routers: [
      createKillSwitchRouter({ service: killSwitches, authenticate, card, defaultTenant: PORTAL }),
      createCardPageRouter({ approvals, settings, authenticate, card, defaultTenant: PORTAL }),
    ],
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await h?.teardown();
});

const tenantSwitch = (state: "on" | "off") => ({ scope: { type: "tenant" }, state, reason: "agents misbehaving" });

describe("the settings page (RevOps)", () => {
  it("shows the caller's role from the policy's role groups and what it may pull", async () => {
    const rita = await cardFetch(base, { path: "/v1/settings", query: as("7") });
    expect(rita.status).toBe(200);
    expect(rita.body.you).toEqual({ role: "revops_admin", mayPullTenant: true, mayPullScoped: true });
    expect(rita.body.policy.version).toBeTruthy();
    expect(rita.body.scopes.agents).toEqual(["enrich"]);
    const rep = await cardFetch(base, { path: "/v1/settings", query: as("9") });
    expect(rep.body.you).toEqual({ role: "approver", mayPullTenant: false, mayPullScoped: false });
  });

  it("a rep's card cannot pull a switch; RevOps pulls the tenant switch; only an owner lifts it", async () => {
    const refused = await cardFetch(base, {
      method: "PUT",
      path: "/v1/kill-switches",
      query: as("9"),
      body: tenantSwitch("on"),
    });
    expect(refused.status).toBe(403);

    const pulled = await cardFetch(base, {
      method: "PUT",
      path: "/v1/kill-switches",
      query: as("7"),
      body: tenantSwitch("on"),
    });
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({
      state: "on",
      who: { id: "rita@acme.test", role: "revops_admin", via: "hubspot_card" },
    });
    const page = await cardFetch(base, { path: "/v1/settings", query: as("7") });
    expect(page.body.killSwitches).toEqual([
      expect.objectContaining({ scope: { type: "tenant", value: null }, state: "on" }),
    ]);

    const liftByRevops = await cardFetch(base, {
      method: "PUT",
      path: "/v1/kill-switches",
      query: as("7"),
      body: tenantSwitch("off"),
    });
    expect(liftByRevops.status).toBe(403);
    const lifted = await cardFetch(base, {
      method: "PUT",
      path: "/v1/kill-switches",
      query: as("8"),
      body: tenantSwitch("off"),
    });
    expect(lifted.status).toBe(200);
    expect((await cardFetch(base, { path: "/v1/settings", query: as("8") })).body.killSwitches).toEqual([]);
  });

  it("refuses a card from a portal where Tollgate is not installed, and a bad inbox view, changing nothing", async () => {
    const other = await cardFetch(base, { path: "/v1/settings", query: { ...as("7"), portalId: "999" } });
    expect(other.status).toBe(403);
    const bad = await cardFetch(base, { path: "/v1/inbox", query: { ...as("9"), view: "everything" } });
    expect(bad.status).toBe(400);
  });
});

describe("the approval inbox", () => {
  it("lists pending approvals across records for the signed card user", async () => {
    const inbox = await cardFetch(base, { path: "/v1/inbox", query: { ...as("9"), view: "mine" } });
    expect(inbox.status).toBe(200);
    expect(inbox.body).toEqual({ view: "mine", approvals: [], counts: { mine: 0, team: 0, overdue: 0, all: 0 } });
  });
});

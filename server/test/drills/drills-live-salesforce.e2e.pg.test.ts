import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSalesforceOrg, type LocalSalesforceOrg } from "../../sandbox/demo/start-salesforce-org.js";
import { runDrillCommand } from "../../sandbox/drills/drill-all.js";
import { startLiveDrillStack } from "../../sandbox/drills/live-drill-stack.js";
import { startSandbox, type StartedSandbox } from "../../sandbox/hubspot/index.js";
import { DRILL_NAMES, drillPolicyYaml, runDrills, type DrillContext, type DrillName } from "../../src/drills/index.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../helpers/test-database.js";

const PORTAL = 62516;
let sf: LocalSalesforceOrg;
let hubspot: StartedSandbox;
let env: NodeJS.ProcessEnv;
const out = mkdtempSync(join(tmpdir(), "tollgate-live-drill-sf-test-"));

/** Every Contact, Account and Task of the org as its API lists them, and what Tollgate's install would change. */
async function orgState() {
  const token = sf.org.users.token(sf.org.admin.id);
  const rows = async (soql: string) => {
    const res = await fetch(`${sf.org.url}/services/data/v${sf.org.apiVersion}/query?q=${encodeURIComponent(soql)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await res.json()) as { records: unknown[] }).records;
  };
  return {
    contacts: await rows("SELECT Id, FirstName, LastName, Email, Title, AccountId FROM Contact ORDER BY Id"),
    accounts: await rows("SELECT Id, Name, Industry, NumberOfEmployees, Description FROM Account ORDER BY Id"),
    tasks: await rows("SELECT Id, Subject FROM Task"),
    contactFields: sf.org.fields("Contact"),
    permissionSets: [...sf.org.permissionSets().keys()],
    cdc: sf.org.cdcObjects(),
  };
}

/** The org's API calls that are not reads, by route. */
function writeCalls(): Record<string, number> {
  return Object.fromEntries(Object.entries(sf.org.stats().calls).filter(([route]) => !route.startsWith("GET ")));
}
const delta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

/**
 * `tollgate drill all --live --confirm-org` pointed at the local Salesforce sandbox exactly as at a
 * real org: the sandbox is the configured CRM (SALESFORCE_INSTANCE_URL, a static token), so the
 * code path is the live one. Some records of people stand in the org, to show they stay as they were.
 */
beforeAll(async () => {
  sf = await startSalesforceOrg();
  const [account] = sf.org.seed("Account", [{ Name: "Globex", Industry: "Manufacturing" }]);
  sf.org.seed("Contact", [
    {
      FirstName: "Grace",
      LastName: "Hopper",
      Email: "grace@globex.example",
      Title: "VP Engineering",
      AccountId: account!,
    },
    { FirstName: "Alan", LastName: "Turing", Email: "alan@globex.example", Title: "Analyst", AccountId: account! },
  ]);
  env = { ...sf.env, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL };
}, 60_000);
afterAll(async () => {
  await sf?.org.close();
  await hubspot?.sandbox.close();
  rmSync(out, { recursive: true, force: true });
});

describe("tollgate drill all --live against a Salesforce org", () => {
  it("refuses without a confirmation naming the configured org, and writes nothing", async () => {
    const before = await orgState();
    const writes = writeCalls();
    const orgId = sf.org.orgId;
    await expect(runDrillCommand(DRILL_NAMES, { out, live: true }, env)).rejects.toThrow(
      `confirm with --confirm-org ${orgId}`,
    );
    await expect(
      runDrillCommand(DRILL_NAMES, { out, live: true, confirmOrg: "00D000000000001AAA" }, env),
    ).rejects.toThrow(`Salesforce org ${orgId}`);
    // A portal flag does not drill an org.
    await expect(runDrillCommand(DRILL_NAMES, { out, live: true, confirmPortal: orgId }, env)).rejects.toThrow(
      /no HubSpot portal is configured/,
    );
    expect(await orgState()).toEqual(before);
    expect(delta(writes, writeCalls())).toEqual({});
  });

  it("passes every drill on a test Contact it creates and deletes through the connector, and writes nothing else", async () => {
    const before = await orgState();
    const writes = writeCalls();
    const report = await runDrillCommand(DRILL_NAMES, { out, live: true, confirmOrg: sf.org.orgId }, env);
    const failed = report.drills.flatMap((d) =>
      d.steps.filter((s) => !s.passed).map((s) => `${d.title}: ${s.title}: ${s.observed}`),
    );
    expect(failed).toEqual([]);
    expect(report).toMatchObject({ passed: true, mode: "live" });
    expect(report.target).toContain(`live Salesforce org ${sf.org.orgId}`);
    expect(report.notes.join("\n")).toMatch(
      /deleted \(to the Recycle Bin\) at the end; reading it back finds nothing \(verified\)/,
    );
    // The drill asked the gate about its own Contact's Email, which Tollgate read from the org.
    const replay = report.drills.find((d) => d.name === "replay")!;
    expect(replay.steps[0]!.tried).toMatch(/test contact 003\w{15}'s Email/);
    // One Contact created and deleted; no field, permission set, CDC selection or Task; the rest as it was.
    expect(delta(writes, writeCalls())).toEqual({ "POST /sobjects/Contact": 1, "DELETE /sobjects/Contact/:id": 1 });
    expect(await orgState()).toEqual(before);
    const md = readFileSync(join(out, "drill-report.md"), "utf8");
    expect(md).toContain(`LIVE: live Salesforce org ${sf.org.orgId}`);
    expect(readFileSync(join(out, "drill-report.html"), "utf8")).toContain("<strong>LIVE</strong>");
  }, 120_000);

  it("a 15-character org id confirms too", async () => {
    const report = await runDrillCommand(["replay"], { out, live: true, confirmOrg: sf.org.orgId.slice(0, 15) }, env);
    expect(report.passed).toBe(true);
  }, 60_000);
});

/** A live drill fails when its control is switched off, on the org as in the sandbox (drills.e2e.pg.test.ts). */
describe("each live drill fails when its control is switched off", () => {
  async function runLive(name: DrillName, wrap: (ctx: DrillContext) => Promise<DrillContext> | DrillContext) {
    const stack = await startLiveDrillStack(env, { org: sf.org.orgId });
    try {
      return (await runDrills(await wrap(stack.ctx), { names: [name], target: stack.target, mode: "live" })).drills[0]!;
    } finally {
      expect((await stack.close()).clean).toBe(true);
    }
  }

  it("approval gate: a policy that lets any template ship without a person", async () => {
    const d = await runLive("approval-gate", async (ctx) => {
      const res = await ctx.call("owner", "PUT", "/v1/policy", {
        yaml: drillPolicyYaml({ crm: "salesforce", sendTier: 2 }),
      });
      expect(res.status).toBe(200);
      return ctx;
    });
    expect(d.passed).toBe(false);
    expect(d.steps[0]!.passed).toBe(false);
  }, 60_000);

  it("permission denial: a permission change that never takes effect", async () => {
    // The policy edit is lost on its way: "send" stays granted.
    const d = await runLive("permission-denial", (ctx) => ({
      ...ctx,
      call: (as, method, path, body) =>
        ctx.call(
          as,
          method,
          path,
          method === "PUT" && path === "/v1/policy" ? { yaml: drillPolicyYaml({ crm: "salesforce" }) } : body,
        ),
    }));
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "Try to launch a send")?.passed).toBe(false);
  }, 60_000);

  it("replay: a replay engine that answers every candidate with no change", async () => {
    const d = await runLive("replay", (ctx) => ({
      ...ctx,
      async call(as, method, path, body) {
        const res = await ctx.call(as, method, path, body);
        return path === "/v1/replay" && res.status === 200 ? { ...res, body: { ...res.body, changed: [] } } : res;
      },
    }));
    expect(d.passed).toBe(false);
    expect(
      d.steps.find((s) => s.title === "Replay under a stricter candidate and explain the difference")?.passed,
    ).toBe(false);
  }, 60_000);

  it("kill switch: a switch that never stops the agent at the gate", async () => {
    const d = await runLive("kill-switch", (ctx) => ({
      ...ctx,
      async call(as, method, path, body) {
        // The switch is asked for, answered 200, and never put on.
        if (path === "/v1/kill-switches" && method === "PUT") return { status: 200, body: {} };
        return ctx.call(as, method, path, body);
      },
    }));
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "Its send is refused")?.passed).toBe(false);
  }, 60_000);
});

describe("with both a HubSpot portal and a Salesforce org configured", () => {
  it("refuses until a confirmation chooses one, never both, and drills only the one chosen", async () => {
    hubspot = await startSandbox({ clientSecret: "live-drill-secret", appId: 7778, portalId: PORTAL, demoData: true });
    const both = {
      ...env,
      HUBSPOT_ACCESS_TOKEN: hubspot.tollgateToken,
      HUBSPOT_PORTAL_ID: String(PORTAL),
      HUBSPOT_API_BASE_URL: hubspot.sandbox.url,
    };
    const refused = runDrillCommand(DRILL_NAMES, { out, live: true }, both);
    await expect(refused).rejects.toThrow(`confirm with --confirm-portal ${PORTAL}`);
    await expect(runDrillCommand(DRILL_NAMES, { out, live: true }, both)).rejects.toThrow(
      `confirm with --confirm-org ${sf.org.orgId}`,
    );
    await expect(
      runDrillCommand(DRILL_NAMES, { out, live: true, confirmPortal: String(PORTAL), confirmOrg: sf.org.orgId }, both),
    ).rejects.toThrow(/one CRM at a time/);
    const hubspotCalls = Object.values(hubspot.sandbox.stats().calls).reduce((a, b) => a + b, 0);
    const report = await runDrillCommand(["approval-gate"], { out, live: true, confirmOrg: sf.org.orgId }, both);
    expect(report).toMatchObject({ passed: true, target: expect.stringContaining("Salesforce org") });
    // The drill's Tollgate connected the org alone: not one call reached the portal.
    expect(Object.values(hubspot.sandbox.stats().calls).reduce((a, b) => a + b, 0)).toBe(hubspotCalls);
    // And the portal flag drills the portal: not one call reaches the org.
    const orgCalls = Object.values(sf.org.stats().calls).reduce((a, b) => a + b, 0);
    const portalRun = await runDrillCommand(
      ["approval-gate"],
      { out, live: true, confirmPortal: String(PORTAL) },
      both,
    );
    expect(portalRun).toMatchObject({ passed: true, target: expect.stringContaining(`HubSpot portal ${PORTAL}`) });
    expect(Object.values(sf.org.stats().calls).reduce((a, b) => a + b, 0)).toBe(orgCalls);
  }, 120_000);
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDrillCommand } from "../../sandbox/drills/drill-all.js";
import { startSandbox, type StartedSandbox } from "../../sandbox/hubspot/index.js";
import { DRILL_NAMES } from "../../src/drills/index.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../helpers/test-database.js";

const PORTAL = 62515;
let hubspot: StartedSandbox;
let env: NodeJS.ProcessEnv;
const out = mkdtempSync(join(tmpdir(), "tollgate-live-drill-test-"));

/** Every contact and company of the portal, as its API lists them. */
async function portalRecords(): Promise<unknown[]> {
  const all = [];
  for (const type of ["contacts", "companies"]) {
    const res = await fetch(
      `${hubspot.sandbox.url}/crm/v3/objects/${type}?limit=100&properties=email,jobtitle,name,industry,numberofemployees,description,lifecyclestage`,
      { headers: { authorization: `Bearer ${hubspot.tollgateToken}` } },
    );
    all.push(...((await res.json()) as { results: unknown[] }).results);
  }
  return all;
}

/**
 * `tollgate drill all --live` pointed at the local sandbox exactly as at a real portal: the
 * sandbox is the configured CRM (HUBSPOT_API_BASE_URL, a private-app token), so the code path is
 * the live one.
 */
beforeAll(async () => {
  hubspot = await startSandbox({ clientSecret: "live-drill-secret", appId: 7777, portalId: PORTAL, demoData: true });
  env = {
    HUBSPOT_ACCESS_TOKEN: hubspot.tollgateToken,
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_API_BASE_URL: hubspot.sandbox.url,
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
  };
});
afterAll(async () => {
  await hubspot?.sandbox.close();
  rmSync(out, { recursive: true, force: true });
});

describe("tollgate drill all --live", () => {
  it("refuses without a confirmation naming the configured portal, and touches nothing", async () => {
    const before = await portalRecords();
    await expect(runDrillCommand(DRILL_NAMES, { out, live: true }, env)).rejects.toThrow(
      /confirm with --confirm-portal 62515/,
    );
    await expect(runDrillCommand(DRILL_NAMES, { out, live: true, confirmPortal: "999" }, env)).rejects.toThrow(
      /portal 62515/,
    );
    expect(await portalRecords()).toEqual(before);
  });

  it("passes every drill against the configured portal on a test contact it creates and removes, leaving every record as it was", async () => {
    const before = await portalRecords();
    const report = await runDrillCommand(DRILL_NAMES, { out, live: true, confirmPortal: String(PORTAL) }, env);
    const failed = report.drills.flatMap((d) =>
      d.steps.filter((s) => !s.passed).map((s) => `${d.title}: ${s.title}: ${s.observed}`),
    );
    expect(failed).toEqual([]);
    expect(report).toMatchObject({ passed: true, mode: "live" });
    expect(report.target).toContain(`live HubSpot portal ${PORTAL}`);
    expect(report.notes.join("\n")).toMatch(/archived at the end; reading it back finds nothing \(verified\)/);
    // The drill asked the gate about its own contact, which Tollgate read from the portal.
    const replay = report.drills.find((d) => d.name === "replay")!;
    expect(replay.steps[0]!.tried).toMatch(/test contact \d+/);
    // Nothing else in the portal changed, and the test contact is gone.
    expect(await portalRecords()).toEqual(before);
    const md = readFileSync(join(out, "drill-report.md"), "utf8");
    expect(md).toContain("LIVE: live HubSpot portal 62515");
    expect(readFileSync(join(out, "drill-report.html"), "utf8")).toContain("<strong>LIVE</strong>");
  }, 120_000);
});

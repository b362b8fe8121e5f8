import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";

const run = promisify(execFile);
let org: SalesforceSandbox;
let env: Record<string, string>;

beforeAll(async () => {
  org = await createSalesforceSandbox();
  const tollgate = org.users.create("Tollgate Integration", "tollgate@acme.example");
  env = { SALESFORCE_INSTANCE_URL: org.url, SALESFORCE_ACCESS_TOKEN: org.users.token(tollgate.id) };
});
afterAll(() => org?.close());

async function install(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      "node",
      ["server/bin/tollgate.js", "install", "salesforce", "--policy", "manifests/policy.salesforce.yaml", ...args],
      { env: { ...process.env, LOG_LEVEL: "silent", ...env } },
    );
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

const customFields = (type: string) => org.fields(type).filter((f) => f.startsWith("AI_"));
/** Every call the org took that could change it: anything but a read. */
const writes = () => Object.keys(org.stats().calls).filter((route) => !route.startsWith("GET "));

// Each case spawns tsx, which compiles the CLI first: slow on a loaded 2-core machine.
describe("tollgate install salesforce", { timeout: 120_000 }, () => {
  it("--dry-run prints the plan and writes nothing to the org: no Metadata API call, no field, no permission set, no CDC member", async () => {
    const cdcBefore = org.cdcObjects();
    const r = await install(["--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`org ${org.orgId} (dry run: nothing changed)`);
    expect(r.stdout).toMatch(/^Lead: \d+ to create, 0 already there$/m);
    expect(r.stdout).toContain("  + Lead.AI_SDR_Change_Reason__c (string)");
    expect(r.stdout).toMatch(/^permission set Tollgate_Integration: read\/edit on \d+ fields$/m);
    expect(r.stdout).toMatch(/^Change Data Capture: Lead, Contact, Account, Opportunity/m);
    expect(writes()).toEqual([]);
    expect(org.stats().calls["POST /Soap/m"]).toBeUndefined();
    expect(customFields("Lead")).toEqual([]);
    expect(org.permissionSets().size).toBe(0);
    expect(org.cdcObjects()).toEqual(cdcBefore);
  });

  it("without --dry-run creates what the plan printed, and a second run finds it all there", async () => {
    const first = await install([]);
    expect(first.code).toBe(0);
    expect(org.stats().calls["POST /Soap/m"]).toBeGreaterThan(0);
    expect(customFields("Lead")).toContain("AI_SDR_Change_Reason__c");
    expect(org.permissionSets().has("Tollgate_Integration")).toBe(true);
    const again = await install(["--dry-run"]);
    expect(again.stdout).toMatch(/^Lead: 0 to create, \d+ already there$/m);
  });
});

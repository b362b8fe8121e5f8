import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../helpers/test-database.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "tollgate-cli-"));

async function tollgate(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", ["server/bin/tollgate.js", ...args], { env: { ...process.env, LOG_LEVEL: "silent", ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("tollgate CLI", () => {
  it("validates the shipped policy and prints its version", async () => {
    const r = await tollgate(["policy", "validate", "manifests/policy.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/manifests\/policy\.yaml: valid \(version [0-9a-f]{64}\)/);
  });

  it("refuses a malformed policy with one line per problem, naming line, column and key", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, ["version: 1", "tenant: default", "agents: []", "roles:", "  r:", "    objects:", "      contact:", "        fields:", "          email: { tier: 7 }", "          phone: { tier: 2, colour: blue }", ""].join("\n"));
    const r = await tollgate(["policy", "validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml is invalid \(2 problems\)/);
    expect(r.stderr).toMatch(/bad\.yaml:9:\d+ roles\.r\.objects\.contact\.fields\.email\.tier: /);
    expect(r.stderr).toMatch(/bad\.yaml:10:\d+ roles\.r\.objects\.contact\.fields\.phone/);
  });

  it("explains a decision: the rule, the tier and why", async () => {
    const pass = await tollgate(["policy", "explain", "--agent", "enrichment-bot", "--object", "contact", "--field", "email", "--shadow", "--confidence", "0.95"]);
    expect(pass.stdout).toContain("rule roles.enrichment.objects.contact.fields.email: tier 3");
    expect(pass.stdout).toMatch(/outcome: allow/);
    const low = await tollgate(["policy", "explain", "--agent", "enrichment-bot", "--object", "contact", "--field", "email", "--shadow", "--confidence", "0.5"]);
    expect(low.stdout).toMatch(/outcome: needs_approval/);
    const unknown = await tollgate(["policy", "explain", "--agent", "ghost-bot", "--object", "contact", "--action", "send_email"]);
    expect(unknown.stdout).toMatch(/outcome: deny/);
  });

  it("refuses bad arguments with a clear message", async () => {
    const r = await tollgate(["policy", "explain", "--agent", "a", "--object", "spaceship", "--field", "x"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/expected one of contact, company/);
    const both = await tollgate(["policy", "explain", "--agent", "a", "--object", "contact", "--field", "x", "--action", "merge"]);
    expect(both.stderr).toMatch(/give exactly one of --field or --action/);
  });

  it("verifies and exports the audit log of the configured database", async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL };
    const verify = await tollgate(["audit", "verify", "--tenant", "cli-empty-tenant"], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 0 events verified/);
    const exported = await tollgate(["audit", "export", "--tenant", "cli-empty-tenant"], env);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toMatch(/exported 0 events/);
  });
});

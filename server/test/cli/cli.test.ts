import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, deriveCheckpointKey, verifyExport } from "../../src/audit/index.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/test-database.js";
import { runEntryPoint, writeMalformedPolicy } from "../helpers/run-entry-point.js";

const dir = mkdtempSync(join(tmpdir(), "tollgate-cli-"));
let t: TestDatabase;
/** The CLI reads DATABASE_URL like `npm start`; this one points it at the suite's own schema. */
let databaseUrl: string;

beforeAll(async () => {
  t = await createTestDatabase();
  databaseUrl = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${t.schema}`)}`;
});
afterAll(async () => t.drop());

/** The CLI as `npx tollgate` runs it. */
const tollgate = (args: string[], env: Record<string, string> = {}) =>
  runEntryPoint(["server/bin/tollgate.js", ...args], env);

// Each case spawns tsx, which compiles the CLI first: slow on a loaded 2-core machine, so a long timeout.
describe("tollgate CLI", { timeout: 90_000 }, () => {
  it("validates the shipped policy and prints its version", async () => {
    const r = await tollgate(["policy", "validate", "manifests/policy.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/manifests\/policy\.yaml: valid \(version [0-9a-f]{64}\)/);
  });

  it("refuses a malformed policy with one line per problem, naming line, column and key", async () => {
    const file = writeMalformedPolicy(dir, "bad.yaml", "{ tier: 2, colour: blue }");
    const r = await tollgate(["policy", "validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml is invalid \(2 problems\)/);
    expect(r.stderr).toMatch(/bad\.yaml:9:\d+ roles\.r\.objects\.contact\.fields\.email\.tier: /);
    expect(r.stderr).toMatch(/bad\.yaml:10:\d+ roles\.r\.objects\.contact\.fields\.phone/);
  });

  it("explains a decision: the rule, the tier and why", async () => {
    const pass = await tollgate([
      "policy",
      "explain",
      "--agent",
      "enrichment-bot",
      "--object",
      "contact",
      "--field",
      "email",
      "--shadow",
      "--confidence",
      "0.95",
    ]);
    expect(pass.stdout).toContain("rule roles.enrichment.objects.contact.fields.email: tier 3");
    expect(pass.stdout).toMatch(/outcome: allow/);
    const low = await tollgate([
      "policy",
      "explain",
      "--agent",
      "enrichment-bot",
      "--object",
      "contact",
      "--field",
      "email",
      "--shadow",
      "--confidence",
      "0.5",
    ]);
    expect(low.stdout).toMatch(/outcome: needs_approval/);
    const unknown = await tollgate([
      "policy",
      "explain",
      "--agent",
      "ghost-bot",
      "--object",
      "contact",
      "--action",
      "send_email",
    ]);
    expect(unknown.stdout).toMatch(/outcome: deny/);
  });

  it("refuses bad arguments with a clear message", async () => {
    const r = await tollgate(["policy", "explain", "--agent", "a", "--object", "spaceship", "--field", "x"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/expected one of contact, company/);
    const both = await tollgate([
      "policy",
      "explain",
      "--agent",
      "a",
      "--object",
      "contact",
      "--field",
      "x",
      "--action",
      "merge",
    ]);
    expect(both.stderr).toMatch(/give exactly one of --field or --action/);
  });

  it("verifies and exports the audit log of the configured database", async () => {
    const env = { DATABASE_URL: databaseUrl };
    const verify = await tollgate(["audit", "verify", "--tenant", "cli-empty-tenant"], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 0 events verified/);
    const exported = await tollgate(["audit", "export", "--tenant", "cli-empty-tenant"], env);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toMatch(/exported 0 events/);
  });

  it("exports a tenant with a signed checkpoint that an outside auditor verifies with only the public key", async () => {
    const tenant = `cli-${randomBytes(4).toString("hex")}`;
    const audit = await createAuditLog(t.db, { signingSeed: deriveCheckpointKey("ab".repeat(32)).seed });
    for (const action of ["field_write", "revert", "approve"]) {
      await audit.append({ tenant_id: tenant, actor: { type: "system", id: "cli-test" }, action });
    }
    const out = join(dir, `${tenant}.jsonl`);
    const r = await tollgate(["audit", "export", "--tenant", tenant, "--out", out, "--checkpoint"], {
      DATABASE_URL: databaseUrl,
      TOLLGATE_ENCRYPTION_KEY: "ab".repeat(32),
    });
    expect(r.code).toBe(0);
    const { checkpoint, publicKeyPem } = JSON.parse(r.stderr.split("\n").find((l) => l.startsWith("{"))!);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    // The three events and the one recording the checkpoint, which lies beyond it.
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[3]!)).toMatchObject({ action: "audit_checkpoint", evidence: { checkpoint } });
    expect(await verifyExport(lines, checkpoint, publicKeyPem)).toMatchObject({ ok: true, checked: 4 });
    const tampered = [lines[0]!, lines[1]!.replace('"revert"', '"approve"'), lines[2]!];
    expect((await verifyExport(tampered, checkpoint, publicKeyPem)).ok).toBe(false);
    // The export itself is in the chain, naming who made it.
    const [last] = (await audit.query({ tenantId: tenant, limit: 1 })).events;
    expect(last).toMatchObject({
      action: "audit_export",
      actor: { type: "human", via: "cli" },
      evidence: { events: 4, checkpointSeq: 3 },
    });
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, checked: 5 });
  });

  it("archives old events behind a signed tombstone with `audit retention`, after a dry run that changes nothing", async () => {
    const tenant = `cli-ret-${randomBytes(4).toString("hex")}`;
    const key = deriveCheckpointKey("ab".repeat(32));
    const old = await createAuditLog(t.db, {
      signingSeed: key.seed,
      now: () => new Date(Date.now() - 10 * 86_400_000),
    });
    for (let i = 0; i < 3; i++)
      await old.append({ tenant_id: tenant, actor: { type: "system", id: "cli-test" }, action: "x" });
    const env = {
      DATABASE_URL: databaseUrl,
      TOLLGATE_ENCRYPTION_KEY: "ab".repeat(32),
      TOLLGATE_CHECKPOINT_DIR: join(dir, "archives"),
    };
    const dry = await tollgate(["audit", "retention", "--tenant", tenant, "--days", "5", "--dry-run"], env);
    expect(dry.stdout).toContain(`${tenant}: would archive events 1–3`);
    const real = await tollgate(["audit", "retention", "--tenant", tenant, "--days", "5"], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(new RegExp(`${tenant}: archived events 1–3 to .*archives/${tenant}/.*, removed 3`));
    expect(await old.verify(tenant)).toMatchObject({ ok: true, checked: 1 });
    expect((await tollgate(["audit", "retention", "--days", "0"], env)).stderr).toMatch(/1 or more/);
  });
});

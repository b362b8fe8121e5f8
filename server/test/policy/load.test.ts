import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TollgateError } from "../../src/errors/index.js";
import {
  loadPolicy,
  loadPolicyFile,
  parsePolicy,
  PolicyValidationError,
  type PolicyProblem,
} from "../../src/policy/index.js";
import { SHIPPED_POLICY_PATH, SMALL_TEAM_POLICY_PATH } from "./helpers.js";

function problemsOf(
  text: string,
  filename = "policy.yaml",
): { error: PolicyValidationError; problems: PolicyProblem[] } {
  try {
    loadPolicy(text, { filename });
  } catch (e) {
    if (e instanceof PolicyValidationError) return { error: e, problems: e.details };
    throw e;
  }
  throw new Error("expected the policy to be rejected");
}

describe("loading the shipped policies", () => {
  it("loads manifests/policy.yaml with all five roles and agents", async () => {
    const p = await loadPolicyFile(SHIPPED_POLICY_PATH);
    expect([...p.roles.keys()].sort()).toEqual(["admin", "enrichment", "outreach", "prospecting", "routing"]);
    expect([...p.agents.values()].map((a) => a.role).sort()).toEqual([
      "admin",
      "enrichment",
      "outreach",
      "prospecting",
      "routing",
    ]);
    expect(p.version).toMatch(/^[0-9a-f]{64}$/);
    expect(p.approvalsExpireAfterMs).toBe(72 * 3_600_000);
    expect(p.qaSampleRate).toBe(0.2);
    expect(p.unattributed).toBe("observe");
    expect(p.overCap).toBe("deny");
  });

  it("loads manifests/policy.small-team.yaml, with admin declared but off", async () => {
    const p = await loadPolicyFile(SMALL_TEAM_POLICY_PATH);
    expect(p.roles.get("admin")?.objects.size).toBe(0);
    expect(p.roles.get("admin")?.actions.size).toBe(0);
    expect(p.overCap).toBe("hold");
    expect(p.tenantCaps).toMatchObject({ perDomainPerDay: 30, perNewDomainPerDay: 10 });
  });

  it("applies the defaults to a minimal policy", () => {
    const m = parsePolicy("version: 1\n");
    expect(m).toMatchObject({
      tenant: "default",
      timezone: "UTC",
      unattributed: "observe",
      over_cap: "deny",
      agents: [],
      roles: {},
      approvals: { expire_after: "72h" },
      qa: { sample_rate: 0.2 },
    });
  });
});

describe("policy validation errors", () => {
  it("names line, column and key path of a bad tier, in the documented format", () => {
    const text = [
      "version: 1",
      "roles:",
      "  enrichment:",
      "    objects:",
      "      contact:",
      "        fields:",
      "          email:",
      "            tier: 7",
      "",
    ].join("\n");
    const { error, problems } = problemsOf(text);
    expect(problems).toEqual([
      {
        line: 8,
        column: 19,
        path: "roles.enrichment.objects.contact.fields.email.tier",
        message: "expected 0–4, got 7",
      },
    ]);
    expect(error.message.split("\n")).toEqual([
      "policy.yaml is invalid (1 problem)",
      "policy.yaml:8:19 roles.enrichment.objects.contact.fields.email.tier: expected 0–4, got 7",
    ]);
    expect(error).toBeInstanceOf(TollgateError);
    expect(error.code).toBe("policy_invalid");
    expect(error.httpStatus).toBe(400);
  });

  it("reports every problem of a file, each at its own line, sorted by position", () => {
    const text = `version: 2
agents:
  - id: a
    role: enrichment
    hubspot: { appIds: [abc] }
roles:
  enrichment:
    objects:
      contact:
        fields:
          email: { tier: 7, foo: 1 }
          jobtitle: {}
          phone: { tier: 3, approvers: 3 }
      leads: {}
    caps: { per_dya: 5 }
windows:
  send_email: { from: "25:00", to: "16:00", tz: Mars/Olympus }
`;
    const { problems } = problemsOf(text);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      "1:10 version: expected 1, got 2",
      "5:25 agents[0].hubspot.appIds[0]: expected a numeric HubSpot id",
      "11:26 roles.enrichment.objects.contact.fields.email.tier: expected 0–4, got 7",
      '11:29 roles.enrichment.objects.contact.fields.email.foo: unknown key "foo"',
      "12:21 roles.enrichment.objects.contact.fields.jobtitle.tier: required",
      "13:40 roles.enrichment.objects.contact.fields.phone.approvers: expected 1 or 2, got 3",
      '14:7 roles.enrichment.objects.leads: unknown key "leads"',
      '15:13 roles.enrichment.caps.per_dya: unknown key "per_dya"',
      "17:23 windows.send_email.from: expected a time HH:MM (24-hour)",
      '17:49 windows.send_email.tz: unknown time zone "Mars/Olympus"',
    ]);
  });

  it("reports cross-reference problems: unknown role, duplicate ids, shared identities, misplaced settings", () => {
    const text = `version: 1
agents:
  - id: a
    role: nope
    hubspot: { appIds: [1] }
  - id: a
    role: r
  - id: b
    role: r
    hubspot: { appIds: [1] }
roles:
  r:
    objects:
      contact:
        fields:
          ai_proposed_industry: { tier: 2 }
          ai_sdr_source: { tier: 2 }
          email: { tier: 1, auto_if: { min_confidence: 0.9 } }
          phone: { tier: 4, approvers: 2 }
`;
    const { problems } = problemsOf(text);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      "4:11 agents[0].role",
      "6:9 agents[1].id",
      "10:25 agents[2].hubspot.appIds[0]",
      "16:11 roles.r.objects.contact.fields.ai_proposed_industry",
      "17:11 roles.r.objects.contact.fields.ai_sdr_source",
      "18:29 roles.r.objects.contact.fields.email.auto_if",
      "19:29 roles.r.objects.contact.fields.phone.approvers",
    ]);
    expect(problems[0]!.message).toBe('role "nope" is not defined under roles');
    expect(problems[1]!.message).toBe('duplicate agent id "a" (also agents[0])');
    expect(problems[2]!.message).toBe('HubSpot app id 1 is already used by agent "a": attribution would be ambiguous');
    expect(problems[5]!.message).toBe("auto_if only applies to tiers 2 and 3, this rule is tier 1");
  });

  it("reports malformed YAML with its position", () => {
    const { problems } = problemsOf("version: 1\nroles:\n  r: [\n", "custom.yaml");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "(yaml)" });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
    const dup = problemsOf("version: 1\nroles: {}\nroles: {}\n");
    expect(dup.problems).toEqual([{ line: 3, column: 1, path: "(yaml)", message: expect.stringContaining("unique") }]);
  });

  it("reports an empty document and names the file given", () => {
    const { error, problems } = problemsOf("", "tenant-a.yaml");
    expect(problems).toEqual([
      { line: 1, column: 1, path: "(root)", message: expect.stringContaining("expected object") },
    ]);
    expect(error.message).toContain("tenant-a.yaml:1:1 (root)");
  });

  it("reports problems inside an anchored block at the anchor", () => {
    const text = `version: 1
roles:
  r:
    objects:
      contact:
        fields: &f
          industry: { tier: 9 }
      company:
        fields: *f
`;
    const { problems } = problemsOf(text);
    // Both uses of the anchor are wrong; each is reported, at the anchored value.
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      "7:29 roles.r.objects.contact.fields.industry.tier",
      "7:29 roles.r.objects.company.fields.industry.tier",
    ]);
  });

  it("loadPolicyFile names the file's base name in errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tollgate-policy-"));
    try {
      const path = join(dir, "acme.yaml");
      await writeFile(path, "version: 1\nroles:\n  r:\n    objects:\n      contact: { read: maybe }\n");
      await expect(loadPolicyFile(path)).rejects.toThrow(
        /^acme\.yaml is invalid \(1 problem\)\nacme\.yaml:5:24 roles\.r\.objects\.contact\.read: /,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import {
  attributesFromRecordFacts,
  decide,
  loadPolicy,
  mergeFactAttributes,
  needsRecordFacts,
  NO_KILL_SWITCHES,
  recordFactProperties,
} from "../../src/policy/index.js";
import { fieldWrite, shipped, shippedText } from "./helpers.js";

const policy = shipped();
/** The shipped policy with its `exception_data` replaced. */
const withExceptionData = (block: string) =>
  loadPolicy(shippedText().replace(/^exception_data:\n(?:[ #].*\n|\n)*/m, `exception_data:\n${block}\n`));
const company = (industry: string | null, extra: Record<string, string | null> = {}) => ({
  id: "5003",
  properties: { industry, domain: "initech-bank.example", ...extra },
});

describe("record-fact exceptions answered from CRM data", () => {
  it("finds a regulated industry in the company's own industry field, case-insensitively", () => {
    const a = attributesFromRecordFacts(policy, { crm: "hubspot", company: company("BANKING") });
    expect(a.regulatedIndustry).toBe(true);
    expect(attributesFromRecordFacts(policy, { crm: "hubspot", company: company("Retail") }).regulatedIndustry).toBe(
      false,
    );
  });

  it("counts a proposal that sets a regulated industry as regulated already", () => {
    const a = attributesFromRecordFacts(policy, {
      crm: "hubspot",
      company: company(null),
      writing: { field: "industry", value: "Insurance" },
    });
    expect(a.regulatedIndustry).toBe(true);
  });

  it("says unknown when the CRM has no industry, no title or no company", () => {
    const a = attributesFromRecordFacts(policy, { crm: "hubspot", person: { jobtitle: "" }, company: null });
    expect(a).toMatchObject({ regulatedIndustry: "unknown", execPersona: "unknown", namedAccount: false });
  });

  it("recognises executives by the policy's title rules, and not engineers", () => {
    const exec = (title: string) =>
      attributesFromRecordFacts(policy, { crm: "hubspot", person: { jobtitle: title }, company: company("Retail") })
        .execPersona;
    expect(exec("CTO")).toBe(true);
    expect(exec("VP Operations")).toBe(true);
    expect(exec("Chief Revenue Officer")).toBe(true);
    expect(exec("Senior Engineer")).toBe(false);
    const custom = withExceptionData(
      `  exec_persona:\n    titles: ["^captain"]\n    seniority_property: hs_seniority\n    seniorities: [executive]`,
    );
    expect(
      attributesFromRecordFacts(custom, { crm: "hubspot", person: { jobtitle: "CTO" }, company: null }).execPersona,
    ).toBe(false);
    expect(
      attributesFromRecordFacts(custom, {
        crm: "hubspot",
        person: { jobtitle: "Engineer", hs_seniority: "Executive" },
        company: null,
      }).execPersona,
    ).toBe(true);
    expect(recordFactProperties(custom, "hubspot").record).toContain("hs_seniority");
  });

  it("finds named accounts by id, by domain and by a CRM flag the policy names", () => {
    const named = withExceptionData(
      `  named_accounts:\n    ids: [5001]\n    domains: [www.globex.example]\n    property: tollgate_named_account`,
    );
    const isNamed = (id: string, props: Record<string, string | null>) =>
      attributesFromRecordFacts(named, { crm: "hubspot", company: { id, properties: props } }).namedAccount;
    expect(isNamed("5001", {})).toBe(true);
    expect(isNamed("9", { domain: "https://globex.example/" })).toBe(true);
    expect(isNamed("9", { tollgate_named_account: "true" })).toBe(true);
    expect(isNamed("9", { domain: "other.example", tollgate_named_account: "false" })).toBe(false);
    expect(attributesFromRecordFacts(named, { crm: "hubspot", company: null }).namedAccount).toBe("unknown");
  });

  it("sends a write with missing facts to a human by default, and lets it through with when_missing: allow", () => {
    const input = fieldWrite("enrichment-bot", "company", "numberofemployees", {
      source: "apollo",
      attributes: { regulatedIndustry: "unknown" },
    });
    const held = decide(policy, input, {}, NO_KILL_SWITCHES);
    expect(held.outcome).toBe("needs_approval");
    expect(held.reasons).toContain("regulated industry: the CRM has no industry, a human decides");
    const lenient = withExceptionData("  when_missing: allow");
    expect(decide(lenient, input, {}, NO_KILL_SWITCHES).outcome).toBe("allow");
  });

  it("treats a named-account deny with no data as a human decision, not an allow", () => {
    const input = fieldWrite("routing-bot", "lead", "hubspot_owner_id", {
      attributes: { slaMatch: true, namedAccount: "unknown" },
    });
    expect(decide(policy, input, {}, NO_KILL_SWITCHES).outcome).toBe("needs_approval");
    const proven = { ...input, attributes: { slaMatch: true, namedAccount: true } };
    expect(decide(policy, proven, {}, NO_KILL_SWITCHES).outcome).toBe("deny");
  });

  it("lets the agent's flag add care but never remove it", () => {
    expect(mergeFactAttributes({ regulatedIndustry: false }, { regulatedIndustry: true }).regulatedIndustry).toBe(true);
    expect(mergeFactAttributes({ execPersona: true }, { execPersona: false }).execPersona).toBe(true);
    expect(mergeFactAttributes({ namedAccount: false }, { namedAccount: "unknown" }).namedAccount).toBe("unknown");
  });

  it("reads facts only for rules that name a record-fact exception", () => {
    expect(needsRecordFacts(policy, fieldWrite("enrichment-bot", "company", "industry"))).toBe(true);
    expect(needsRecordFacts(policy, fieldWrite("enrichment-bot", "contact", "lifecyclestage"))).toBe(false);
    expect(needsRecordFacts(policy, fieldWrite("nobody", "contact", "email"))).toBe(false);
  });
});

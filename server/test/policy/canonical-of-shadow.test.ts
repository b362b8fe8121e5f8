import { describe, expect, it } from "vitest";
import { canonicalOfShadow, loadPolicy } from "../../src/policy/index.js";

const policy = loadPolicy(
  [
    "version: 1",
    "tenant: default",
    "agents:",
    "  - { id: enrichment-bot, role: enrichment, salesforce: { clients: [enrichment-bot] } }",
    "roles:",
    "  enrichment:",
    "    objects:",
    "      lead:",
    "        read: allow",
    "        fields:",
    "          Industry: { tier: 3 }",
    "          Custom_Score__c: { tier: 3 }",
    "",
  ].join("\n"),
);

describe("canonicalOfShadow", () => {
  it("inverts HubSpot's prefix", () => {
    expect(canonicalOfShadow(policy, "ai_proposed_industry")).toBe("industry");
  });

  it("finds a Salesforce field from the policy, keeping a custom field's __c", () => {
    expect(canonicalOfShadow(policy, "AI_Proposed_Industry__c")).toBe("Industry");
    expect(canonicalOfShadow(policy, "AI_Proposed_Custom_Score__c")).toBe("Custom_Score__c");
  });

  it("says a field is not a shadow when it is not one, or governs nothing", () => {
    expect(canonicalOfShadow(policy, "industry")).toBeUndefined();
    expect(canonicalOfShadow(policy, "AI_Proposed_Unknown__c")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { listGovernedFields, loadPolicy } from "../../src/policy/index.js";
import { shipped } from "./helpers.js";

describe("listGovernedFields", () => {
  it("lists every field any role names at any tier, with shadows for the proposable ones", () => {
    const p = loadPolicy(`version: 1
roles:
  a:
    objects:
      contact:
        fields:
          email: { tier: 3 }
          hs_email_optout: { tier: 4 }
      lead:
        fields:
          hubspot_owner_id: { tier: 1 }
  b:
    objects:
      lead:
        fields:
          hubspot_owner_id: { tier: 2 }
        actions:
          create: { tier: 2 }
`);
    expect(listGovernedFields(p)).toEqual([
      {
        object: "contact",
        field: "email",
        tiers: [3],
        roles: ["a"],
        proposable: true,
        shadow: { hubspot: "ai_proposed_email", salesforce: "AI_Proposed_Email__c" },
      },
      { object: "contact", field: "hs_email_optout", tiers: [4], roles: ["a"], proposable: false, shadow: null },
      {
        object: "lead",
        field: "hubspot_owner_id",
        tiers: [1, 2],
        roles: ["a", "b"],
        proposable: true,
        shadow: { hubspot: "ai_proposed_hubspot_owner_id", salesforce: "AI_Proposed_Hubspot_owner_id__c" },
      },
    ]);
  });

  it("covers the revenue-critical fields of the shipped policy", () => {
    const fields = listGovernedFields(shipped()).map((f) => `${f.object}.${f.field}${f.proposable ? "*" : ""}`);
    for (const f of [
      "lead.hubspot_owner_id*",
      "contact.email*",
      "contact.phone*",
      "contact.hs_lead_status",
      "contact.lifecyclestage",
      "contact.hs_email_optout",
      "deal.dealstage*",
      "deal.amount",
      "deal.closedate",
      "company.industry*",
      "lead.industry*",
    ]) {
      expect(fields).toContain(f);
    }
  });
});

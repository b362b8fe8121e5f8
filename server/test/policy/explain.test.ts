import { describe, expect, it } from "vitest";
import { createKillSwitchState, explainDecision, REASONS } from "../../src/policy/index.js";
import { action, fieldWrite, shipped } from "./helpers.js";

const policy = shipped();

describe("explainDecision", () => {
  it("says who asks what, which rule and tier, the auto rule, exceptions, caps, outcome and why", () => {
    const { decision, lines } = explainDecision(
      policy,
      fieldWrite("enrichment-bot", "contact", "ai_proposed_email", { confidence: 0.5, recordId: "c-1" }),
      {
        "bucket:enrichment.contact_email_phone:day": 12,
      },
    );
    expect(decision.outcome).toBe("needs_approval");
    expect(lines).toEqual([
      "agent enrichment-bot (role enrichment)",
      "asks: write contact.ai_proposed_email",
      "rule roles.enrichment.objects.contact.fields.email: tier 3 (approval required)",
      "auto if confidence ≥ 0.9",
      "exception: exec_persona → a human decides",
      "approvers when needed: 1",
      "cap roles.enrichment.caps.per_day: 0 of 2000 used (role:enrichment:day)",
      "cap roles.enrichment.caps.per_record_per_day: 0 of 5 used (role:enrichment:day:record:c-1)",
      "cap roles.enrichment.objects.contact.fields.email.cap.per_day: 12 of 300 used (bucket:enrichment.contact_email_phone:day)",
      `outcome: needs_approval (1 approver) [policy ${policy.version.slice(0, 12)}]`,
      `because: ${REASONS.tier3}`,
      `because: ${REASONS.confidenceLow(0.5, 0.9)}`,
    ]);
  });

  it("explains deny by default and kill switches", () => {
    expect(explainDecision(policy, fieldWrite("ghost", "contact", "email")).lines).toEqual([
      "agent ghost (not declared)",
      "asks: write contact.email",
      "rule deny_by_default: tier 0 (blocked)",
      `outcome: deny [policy ${policy.version.slice(0, 12)}]`,
      `because: ${REASONS.unknownAgent("ghost")}`,
    ]);
    const killed = explainDecision(
      policy,
      action("admin-bot", "company", "merge"),
      {},
      createKillSwitchState([{ type: "tenant" }]),
    );
    expect(killed.lines).toContain("approvers when needed: 2");
    expect(killed.lines.at(-1)).toBe(`because: ${REASONS.killed("tenant")}`);
  });
});

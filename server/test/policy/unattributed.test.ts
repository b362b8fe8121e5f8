import { describe, expect, it } from "vitest";
import { decideUnattributed, loadPolicy, REASONS, shouldEnforceUnattributed } from "../../src/policy/index.js";
import { shippedText } from "./helpers.js";

describe("unattributed writes (docs/contracts.md#rules-that-never-bend)", () => {
  it("are only observed under the shipped policy", () => {
    const p = loadPolicy(shippedText());
    expect(shouldEnforceUnattributed(p)).toBe(false);
    expect(decideUnattributed(p, { object: "contact", field: "email" })).toBeUndefined();
  });

  it("are denied on governed fields, never on provenance or shadow fields, under `unattributed: enforce`", () => {
    const p = loadPolicy(shippedText().replace("unattributed: observe", "unattributed: enforce"));
    expect(shouldEnforceUnattributed(p)).toBe(true);
    expect(decideUnattributed(p, { object: "contact", field: "email" })).toEqual({
      outcome: "deny",
      tier: 0,
      ruleId: "unattributed",
      policyVersion: p.version,
      reasons: [REASONS.unattributedEnforced("email")],
    });
    expect(decideUnattributed(p, { object: "contact", field: "ai_proposed_email" })).toBeUndefined();
    expect(decideUnattributed(p, { object: "contact", field: "ai_sdr_confidence_score" })).toBeUndefined();
    expect(decideUnattributed(p, { object: "contact", field: "favorite_color" })).toBeUndefined();
  });
});

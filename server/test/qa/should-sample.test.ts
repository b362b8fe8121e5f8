import { describe, expect, it } from "vitest";
import type { PolicyQa } from "../../../shared/index.js";
import { parsePolicy } from "../../src/policy/index.js";
import { isRestricted, shouldSample, type QaAction } from "../../src/qa/index.js";

const safe: QaAction = {
  action: "field_write",
  tier: 2,
  outcome: "allow",
  newSegment: false,
  newSource: false,
  newSequence: false,
  largeAccount: false,
  regulatedIndustry: false,
};
const policy: PolicyQa = { sample_rate: 0.2 };

/** How many of `n` evenly spread random values pick the action. */
function picked(p: PolicyQa, a: QaAction, n = 1000): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (shouldSample(p, a, (i + 0.5) / n).sampled) k++;
  return k;
}

describe("shouldSample", () => {
  it("samples safe actions at the policy's sample_rate", () => {
    expect(picked(policy, safe)).toBe(200);
    expect(picked({ sample_rate: 0.05 }, safe)).toBe(50);
    expect(shouldSample(policy, safe, 0.19)).toEqual({ sampled: true, rate: 0.2, reason: "base" });
    expect(shouldSample(policy, safe, 0.2)).toEqual({ sampled: false, rate: 0.2, reason: "base" });
  });

  it("samples every restricted action: tier 3+, needing approval, refused or reverted", () => {
    for (const a of [
      { ...safe, tier: 3 },
      { ...safe, tier: 4, outcome: "deny" },
      { ...safe, outcome: "needs_approval" },
      { ...safe, outcome: "deny" },
      { ...safe, outcome: "over_cap" },
    ]) {
      expect(isRestricted(a)).toBe(true);
      expect(picked(policy, a)).toBe(1000);
      expect(shouldSample(policy, a, 0.999).reason).toBe("restricted");
    }
    expect(isRestricted(safe)).toBe(false);
  });

  it("oversamples new segments, sources and sequences, large accounts and regulated industries", () => {
    expect(picked(policy, { ...safe, newSegment: true })).toBe(1000);
    expect(picked(policy, { ...safe, regulatedIndustry: true })).toBe(1000);
    expect(picked(policy, { ...safe, newSource: true })).toBe(500);
    expect(picked(policy, { ...safe, largeAccount: true })).toBe(500);
    expect(shouldSample(policy, { ...safe, newSource: true, largeAccount: true, newSegment: true }, 0.7)).toEqual({
      sampled: true,
      rate: 1,
      reason: "new_segment",
    });
  });

  it("takes the rates the policy names, and never samples below sample_rate", () => {
    const custom: PolicyQa = {
      sample_rate: 0.1,
      restricted: 0.5,
      oversample: { large_account: 0.3, new_segment: 0.05 },
    };
    expect(picked(custom, { ...safe, outcome: "needs_approval" })).toBe(500);
    expect(picked(custom, { ...safe, largeAccount: true })).toBe(300);
    expect(shouldSample(custom, { ...safe, newSegment: true }, 0.09)).toEqual({
      sampled: true,
      rate: 0.1,
      reason: "base",
    });
  });

  it("reads the new qa keys from a policy and leaves an old policy's version alone", () => {
    const base = "version: 1\nqa:\n  sample_rate: 0.2\n";
    const plain = parsePolicy(base);
    const extended = parsePolicy(
      `${base}  restricted: 1\n  oversample: { new_segment: 1, large_account: 0.5 }\n  regulated_industries: [banking]\n`,
    );
    expect(extended.qa).toMatchObject({
      restricted: 1,
      oversample: { new_segment: 1, large_account: 0.5 },
      regulated_industries: ["banking"],
    });
    expect(Object.keys(plain.qa)).toEqual(["sample_rate"]);
    expect(() => parsePolicy(`${base}  oversample: { new_thing: 1 }\n`)).toThrow();
    expect(() => parsePolicy(`${base}  restricted: 2\n`)).toThrow();
  });
});

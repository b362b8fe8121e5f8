import { describe, expect, it } from "vitest";
import { loadPolicy, parsePolicy, policyVersion } from "../../src/policy/index.js";
import { shippedText } from "./helpers.js";

const base = `version: 1
tenant: acme
agents:
  - { id: enrichment-bot, role: enrichment, hubspot: { appIds: [42] } }
roles:
  enrichment:
    objects:
      contact:
        read: allow
        fields:
          industry: { tier: 2, auto_if: { sources: [clearbit, apollo] } }
          email: { tier: 3 }
caps: { per_domain_per_day: 50 }
`;

// Same meaning: keys in another order, flow vs block style, quotes, comments, a default spelled out.
const reordered = `# reordered
caps:
  per_domain_per_day: 50
roles:
  enrichment:
    objects:
      contact:
        fields:
          email:
            tier: 3   # approval
          industry:
            auto_if:
              sources: ["clearbit", "apollo"]
            tier: 2
        read: "allow"
agents:
  - hubspot: { appIds: ["42"] }
    role: enrichment
    id: enrichment-bot
unattributed: observe
tenant: "acme"
version: 1
`;

describe("policy version", () => {
  it("is the SHA-256 hex of the canonical manifest, stable under key order, style, comments and spelled-out defaults", () => {
    const a = loadPolicy(base).version;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(loadPolicy(reordered).version).toBe(a);
    expect(policyVersion(parsePolicy(base))).toBe(a);
  });

  it("changes when a tier changes", () => {
    expect(loadPolicy(base.replace("email: { tier: 3 }", "email: { tier: 2 }")).version).not.toBe(
      loadPolicy(base).version,
    );
  });

  it("changes when a list, a cap or the tenant changes", () => {
    const a = loadPolicy(base).version;
    const variants = [
      base.replace("[clearbit, apollo]", "[clearbit]"),
      base.replace("[clearbit, apollo]", "[apollo, clearbit]"), // allowlist order is kept as written
      base.replace("per_domain_per_day: 50", "per_domain_per_day: 49"),
      base.replace("tenant: acme", "tenant: other"),
    ];
    const versions = new Set(variants.map((v) => loadPolicy(v).version));
    expect(versions.size).toBe(variants.length);
    expect(versions.has(a)).toBe(false);
  });

  it("is carried by every decision", async () => {
    const { decide, NO_KILL_SWITCHES } = await import("../../src/policy/index.js");
    const p = loadPolicy(shippedText());
    const d = decide(
      p,
      { agentId: "nobody", object: "contact", kind: "field_write", field: "x", at: new Date() },
      {},
      NO_KILL_SWITCHES,
    );
    expect(d.policyVersion).toBe(p.version);
  });
});

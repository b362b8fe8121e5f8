import { describe, expect, it } from "vitest";
import { proposalRiskFlags, readProvenance } from "../../src/enforce/decide-proposals.js";
import type { CrmChange } from "../../src/enforce/index.js";

// Issue 9, finding 10 on the webhook path: an agent writes hostile evidence into the CRM's
// `ai_sdr_evidence` property instead of sending it to the gate. Enforcement reads it back; it
// must never crash, never drop a key silently, and say which limit it set evidence aside for.

const change: CrmChange = {
  tenantId: "62515",
  crm: "hubspot",
  objectType: "contacts",
  policyObject: "contact",
  objectId: "101",
  kind: "property_change",
  property: "ai_proposed_industry",
  value: "Fintech",
  occurredAt: new Date(),
  eventKey: "k1",
  source: {},
};

async function provenanceOf(evidence: string) {
  const deps = {
    readRecords: async () => [
      { objectId: "101", properties: { ai_sdr_evidence: evidence, ai_sdr_source: "apollo", ai_sdr_reason: "r" } },
    ],
  };
  const got = await readProvenance(deps as never, "62515", [{ change, field: "industry" }]);
  return got.get("k1")!.provenance;
}

describe("evidence read back from the CRM keeps to the gate's limits (finding 10)", () => {
  it("evidence nested thousands of levels deep is set aside naming the limit, flagged, not a crash", async () => {
    const p = await provenanceOf(`${'{"d":'.repeat(5000)}"bottom"${"}".repeat(5000)}`);
    expect(p.evidence).toEqual({ set_aside: expect.stringMatching(/limit: 32 levels/) });
    expect(proposalRiskFlags(p, null)).toContain("evidence_over_limit");
  });

  it("evidence larger than 64 KB is set aside naming the limit", async () => {
    const p = await provenanceOf(JSON.stringify({ blob: "x".repeat(70_000) }));
    expect(p.evidence).toEqual({ set_aside: expect.stringMatching(/limit: 65536/) });
  });

  it("__proto__ and constructor keys are kept as ordinary keys on a prototype-free copy", async () => {
    const p = await provenanceOf('{"__proto__":{"polluted":true},"constructor":"c","url":"https://x"}');
    const e = p.evidence as Record<string, unknown>;
    expect(Object.getPrototypeOf(e)).toBeNull();
    expect(Object.keys(e)).toEqual(["__proto__", "constructor", "url"]);
    expect(JSON.stringify(e)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("text that is not JSON stays visible as unparsed", async () => {
    const p = await provenanceOf("see the website");
    expect(p.evidence).toEqual({ unparsed: "see the website" });
    expect(proposalRiskFlags(p, null)).toContain("evidence_not_json");
  });
});

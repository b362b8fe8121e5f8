/**
 * The Salesforce cards (LWC) cannot import the HubSpot cards' TypeScript, so `c/tollgateFormat`
 * re-states its rules in plain JavaScript. This suite runs both on the same inputs — above all the
 * evidence-link rule that keeps `javascript:` and `data:` URLs out of a card — so they cannot drift.
 */
import { describe, expect, it } from "vitest";
import * as hubspot from "../../crm-app/hubspot/src/app/cards/lib/format.js";

// A plain ES module with no LWC imports; loaded by path so the type checker does not need its types.
const LWC_FORMAT = "../../crm-app/salesforce/force-app/main/default/lwc/tollgateFormat/tollgateFormat.js";
const lwc = (await import(LWC_FORMAT)) as typeof hubspot;

const EVIDENCE: unknown[] = [
  null,
  undefined,
  "plain text",
  "not json {",
  JSON.stringify({ sources: ["https://a.example/x", "javascript:alert(1)"], facts: { n: 1 } }),
  { sources: [{ url: "https://b.example", title: "B" }, { href: "http://c.example/p", name: "C" }, { url: "data:x" }] },
  { url: "https://d.example", urls: ["https://d.example", "ftp://e.example", "HTTPS://F.EXAMPLE/a b"] },
  { sources: "not a list", signals: ["s"] },
  { sources: [{ url: "https://g.example", title: "" }, 42, null] },
  [],
  42,
];

describe("Salesforce card formatting agrees with the HubSpot cards'", () => {
  it.each(EVIDENCE.map((e, i) => [i, e]))("evidence #%i: same links and summary", (_i, evidence) => {
    expect(lwc.evidenceLinks(evidence)).toEqual(hubspot.evidenceLinks(evidence));
    expect(lwc.evidenceSummary(evidence)).toEqual(hubspot.evidenceSummary(evidence));
  });

  it("links only http(s) URLs", () => {
    const links = lwc.evidenceLinks(EVIDENCE[4]).concat(lwc.evidenceLinks(EVIDENCE[5]), lwc.evidenceLinks(EVIDENCE[6]));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.href).toMatch(/^https?:\/\//i);
  });

  it("values, confidence, times, actors and outcomes read the same", () => {
    for (const v of [null, undefined, "", "x", 3, true, { a: 1 }])
      expect(lwc.formatValue(v)).toBe(hubspot.formatValue(v));
    for (const c of [null, 0, 0.824, 1]) expect(lwc.formatConfidence(c)).toBe(hubspot.formatConfidence(c));
    for (const t of ["2026-12-01T09:15:00.000Z", "garbage"]) expect(lwc.formatWhen(t)).toBe(hubspot.formatWhen(t));
    const now = new Date("2026-12-01T00:00:00Z");
    for (const t of [
      "2026-12-03T03:00:00Z",
      "2026-12-01T02:10:00Z",
      "2026-12-01T00:00:30Z",
      "2026-11-30T00:00:00Z",
      "x",
    ])
      expect(lwc.formatTimeLeft(t, now)).toBe(hubspot.formatTimeLeft(t, now));
    for (const actor of [
      { type: "agent", id: "bot", role: "enrichment" },
      { type: "agent", id: "bot", role: null },
      { type: "human", id: "005x", role: null },
      { type: "system", id: "tollgate", role: null },
    ] as const)
      expect(lwc.describeActor(actor)).toBe(hubspot.describeActor(actor));
    for (const o of ["allow", "needs_approval", "partially_approved", "some_new_step"])
      expect(lwc.outcomeLabel(o)).toBe(hubspot.outcomeLabel(o));
  });
});

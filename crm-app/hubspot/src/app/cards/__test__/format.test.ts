import { describe, expect, it } from "vitest";
import {
  describeActor,
  evidenceLinks,
  evidenceSummary,
  formatConfidence,
  formatTimeLeft,
  formatValue,
  outcomeLabel,
} from "../lib/format";
import { NOW } from "./fixtures";

const later = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe("formatTimeLeft", () => {
  it.each([
    [3 * 86_400_000 + 5 * 3_600_000 + 59_000, "3d 5h left"],
    [2 * 3_600_000 + 15 * 60_000 + 30_000, "2h 15m left"],
    [14 * 60_000 + 59_000, "14m left"],
    [30_000, "less than a minute left"],
    [0, "expired"],
    [-60_000, "expired"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatTimeLeft(later(ms), NOW)).toBe(text);
  });

  it("does not invent a deadline from a bad date", () => {
    expect(formatTimeLeft("soon", NOW)).toBe("no expiry");
  });
});

describe("values", () => {
  it("reads empty values as (empty) and objects as JSON", () => {
    expect([null, undefined, "", "x", 3, false, { a: 1 }].map(formatValue)).toEqual([
      "(empty)",
      "(empty)",
      "(empty)",
      "x",
      "3",
      "false",
      '{"a":1}',
    ]);
  });

  it("shows confidence as a percentage", () => {
    expect([formatConfidence(0.825), formatConfidence(1), formatConfidence(null)]).toEqual(["83%", "100%", "—"]);
  });

  it("labels actors and outcomes", () => {
    expect(describeActor({ type: "agent", id: "sdr-bot", role: "sdr" })).toBe("Agent sdr-bot (sdr)");
    expect(describeActor({ type: "agent", id: "sdr-bot", role: null })).toBe("Agent sdr-bot");
    expect(describeActor({ type: "system", id: "tollgate", role: null })).toBe("System tollgate");
    expect([
      outcomeLabel("over_cap"),
      outcomeLabel("partially_approved"),
      outcomeLabel("applied"),
      outcomeLabel("something_new"),
    ]).toEqual(["over cap", "partly approved", "applied", "something new"]);
  });
});

describe("evidenceLinks", () => {
  it("takes sources (strings or objects), urls and url, once each", () => {
    const evidence = {
      sources: [
        "https://a.test/x",
        { url: "https://b.test/y", title: "Filing" },
        { href: "https://c.test", name: "C" },
      ],
      urls: ["https://a.test/x", "http://d.test/"],
      url: "https://e.test/z",
    };
    expect(evidenceLinks(evidence)).toEqual([
      { label: "a.test", href: "https://a.test/x" },
      { label: "Filing", href: "https://b.test/y" },
      { label: "C", href: "https://c.test" },
      { label: "d.test", href: "http://d.test/" },
      { label: "e.test", href: "https://e.test/z" },
    ]);
  });

  it("never links anything but http(s)", () => {
    expect(
      evidenceLinks({
        sources: ["javascript:alert(1)", { url: "data:text/html,x" }, "ftp://f.test", "not a url", 42, null],
      }),
    ).toEqual([]);
  });

  it("reads a bundle stored as a JSON string, and tolerates anything else", () => {
    expect(evidenceLinks('{"sources":["https://a.test"]}')).toEqual([{ label: "a.test", href: "https://a.test" }]);
    expect([
      evidenceLinks("not json"),
      evidenceLinks(null),
      evidenceLinks(7),
      evidenceLinks({ sources: "https://a.test" }),
    ]).toEqual([[], [], [], []]);
  });

  it("summarises what is not a link", () => {
    expect(evidenceSummary({ sources: ["https://a.test"], signals: ["hiring"] })).toBe('{"signals":["hiring"]}');
    expect(evidenceSummary({ sources: ["https://a.test"] })).toBe("");
    expect(evidenceSummary(null)).toBe("");
    expect(evidenceSummary("plain note")).toBe("plain note");
  });
});

import type { QualityFigures } from "./types.js";

const BANDS = [
  { band: "below 0.5", min: 0, max: 0.5 },
  { band: "0.5–0.8", min: 0.5, max: 0.8 },
  { band: "0.8–0.9", min: 0.8, max: 0.9 },
  { band: "0.9 and above", min: 0.9, max: Infinity },
] as const;

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
const percent = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 100);
/** A dedupe/frequency line that failed: `fail`, or a score of 1 or 2 (qa/scorecard.ts). */
const dedupeFailed = (line: string | null) => line === "fail" || line === "1" || line === "2";

/**
 * QA outcomes, delivery rates, duplicates and stage integrity from the rows the SQL files read
 * (requirements R9): what reviewers found, what the sending system reported, what the gate refused.
 */
export function qualityFigures(
  reviews: readonly { verdict: string | null; confidence: number | null; dedupe: string | null }[],
  delivery: { sends: number; bounces: number; complaints: number } | undefined,
  counts: { duplicates_refused: number; stage_violations: number } | undefined,
): QualityFigures {
  const passed = reviews.filter((r) => r.verdict === "pass").length;
  const d = delivery ?? { sends: 0, bounces: 0, complaints: 0 };
  const bandOf = (c: number | null) =>
    c === null ? "no confidence" : BANDS.find((b) => c >= b.min && c < b.max)!.band;
  const bands = [...BANDS.map((b) => b.band), "no confidence"].map((band) => {
    const inBand = reviews.filter((r) => bandOf(r.confidence) === band);
    const ok = inBand.filter((r) => r.verdict === "pass").length;
    return { band, reviewed: inBand.length, passed: ok, passRate: ratio(ok, inBand.length) };
  });
  return {
    qa: { reviewed: reviews.length, passed, failed: reviews.length - passed, passRate: ratio(passed, reviews.length) },
    delivery: {
      sends: d.sends,
      bounces: d.bounces,
      complaints: d.complaints,
      bounceRatePercent: percent(d.bounces, d.sends),
      complaintRatePercent: percent(d.complaints, d.sends),
    },
    duplicates: {
      created: reviews.filter((r) => dedupeFailed(r.dedupe)).length,
      refused: counts?.duplicates_refused ?? 0,
    },
    stageIntegrityViolations: counts?.stage_violations ?? 0,
    confidenceVsQa: bands.filter((b) => b.reviewed > 0),
  };
}

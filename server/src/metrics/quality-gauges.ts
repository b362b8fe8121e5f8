import type { Figure } from "./types.js";

/**
 * The quality half of the governance figures (docs/operations.md "Governance metrics") as
 * gauges: QA verdicts, delivery, duplicates, stage integrity, confidence vs QA outcome and the
 * concentration of outbound actions. Labels stay bounded: bands are fixed, domains are the top few.
 */
export const QUALITY_FIGURES: Figure[] = [
  {
    name: "qa_reviews",
    help: "QA reviews of sampled agent actions in the window, by verdict",
    labels: ["verdict"],
    values: (m) => [
      [{ verdict: "pass" }, m.quality.qa.passed],
      [{ verdict: "fail" }, m.quality.qa.failed],
    ],
  },
  {
    name: "qa_pass_ratio",
    help: "QA reviews passed / reviewed in the window (the acceptance figures' QA half)",
    values: (m) => [[{}, m.quality.qa.passRate]],
  },
  { name: "sends", help: "Sends the gate permitted in the window", values: (m) => [[{}, m.quality.delivery.sends]] },
  {
    name: "bounce_rate_percent",
    help: "Bounces reported (POST /v1/signals) per 100 sends in the window",
    values: (m) => [[{}, m.quality.delivery.bounceRatePercent]],
  },
  {
    name: "complaint_rate_percent",
    help: "Complaints reported (POST /v1/signals) per 100 sends in the window",
    values: (m) => [[{}, m.quality.delivery.complaintRatePercent]],
  },
  {
    name: "duplicates_created",
    help: "Duplicates reviewers found (dedupe/frequency failed) in the window",
    values: (m) => [[{}, m.quality.duplicates.created]],
  },
  {
    name: "duplicate_sends_refused",
    help: "Duplicate sends the gate refused in the window",
    values: (m) => [[{}, m.quality.duplicates.refused]],
  },
  {
    name: "stage_integrity_violations",
    help: "Agent writes to a stage field the policy refused or reverted in the window",
    values: (m) => [[{}, m.quality.stageIntegrityViolations]],
  },
  {
    name: "confidence_qa_pass_ratio",
    help: "QA pass rate by the agent's stated confidence band: does confidence predict outcome?",
    labels: ["band"],
    values: (m) => m.quality.confidenceVsQa.map((b) => [{ band: b.band }, b.passRate]),
  },
  {
    name: "confidence_qa_reviews",
    help: "QA reviews by the agent's stated confidence band",
    labels: ["band"],
    values: (m) => m.quality.confidenceVsQa.map((b) => [{ band: b.band }, b.reviewed]),
  },
  {
    name: "concentration_share",
    help: "Share of outbound actions per recipient domain (or record), the busiest few",
    labels: ["by", "key"],
    values: (m) => m.concentration.top.map((t) => [{ by: m.concentration.by, key: t.key }, t.share]),
  },
  {
    name: "concentration_hhi",
    help: "Herfindahl index of outbound actions over recipient domains (or records): 1 = all to one",
    values: (m) => [[{}, m.concentration.hhi]],
  },
];

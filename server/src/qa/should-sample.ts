import type { PolicyQa } from "../../../shared/index.js";
import type { QaAction, QaReason, SampleDecision } from "./types.js";

/** The rates R9 suggests, used where the policy names none. */
export const QA_DEFAULTS = {
  restricted: 1,
  oversample: { new_segment: 1, new_source: 0.5, new_sequence: 0.5, large_account: 0.5, regulated_industry: 1 },
} as const;

/** What leaves the CRM and cannot be taken back: always restricted, whatever its tier (R9). */
const EXTERNAL_ACTIONS = new Set(["send_email", "enroll_sequence", "book_meeting"]);

/**
 * Tier 3+, an external action (send, enrollment, meeting), or anything that did not simply pass:
 * needed approval, refused, reverted, over a cap.
 */
export function isRestricted(action: QaAction): boolean {
  return (action.tier ?? 0) >= 3 || action.outcome !== "allow" || EXTERNAL_ACTIONS.has(action.action);
}

/**
 * Whether to put one agent action in front of a reviewer (requirements R9): the highest rate of
 * the rules that apply — every restricted action, more of what is new, large or regulated, and
 * `sample_rate` of the rest — against `randomValue` (uniform in [0, 1)). Pure: the caller
 * supplies the randomness, so tests are deterministic.
 */
export function shouldSample(policy: PolicyQa, action: QaAction, randomValue: number): SampleDecision {
  const over = { ...QA_DEFAULTS.oversample, ...definedOnly(policy.oversample ?? {}) };
  // In order of precedence when rates tie: the most telling reason first.
  const rules: [QaReason, boolean, number][] = [
    ["restricted", isRestricted(action), policy.restricted ?? QA_DEFAULTS.restricted],
    ["regulated_industry", action.regulatedIndustry, over.regulated_industry],
    ["new_segment", action.newSegment, over.new_segment],
    ["new_source", action.newSource, over.new_source],
    ["new_sequence", action.newSequence, over.new_sequence],
    ["large_account", action.largeAccount, over.large_account],
    ["base", true, policy.sample_rate],
  ];
  let best: { reason: QaReason; rate: number } = { reason: "base", rate: policy.sample_rate };
  for (const [reason, applies, rate] of rules) if (applies && rate > best.rate) best = { reason, rate };
  // A rule that applies at the same rate as base still explains the pick better than "base".
  if (best.reason === "base")
    for (const [reason, applies, rate] of rules)
      if (applies && rate === best.rate) {
        best = { reason, rate };
        break;
      }
  return { sampled: randomValue < best.rate, rate: best.rate, reason: best.reason };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

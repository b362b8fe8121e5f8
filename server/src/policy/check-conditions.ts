import type { ExceptionCondition, ExceptionEffect } from "../../../shared/index.js";
import { EXCEPTION_REASONS, REASONS } from "./reasons.js";
import type { CompiledAutoIf, CompiledRule, DecisionInput } from "./types.js";

/**
 * Why an `auto_if` does not pass; empty when it does. A condition the input gives no value for
 * fails: an auto rule lets an agent skip a human, so it needs positive evidence.
 */
export function autoFailures(auto: CompiledAutoIf, input: DecisionInput): string[] {
  const out: string[] = [];
  if (auto.min_confidence !== undefined) {
    if (input.confidence === undefined) out.push(REASONS.confidenceMissing(auto.min_confidence));
    else if (!(input.confidence >= auto.min_confidence))
      out.push(REASONS.confidenceLow(input.confidence, auto.min_confidence));
  }
  if (auto.sourceSet !== undefined) {
    if (input.source === undefined) out.push(REASONS.sourceMissing);
    else if (!auto.sourceSet.has(input.source)) out.push(REASONS.sourceNotAllowed(input.source));
  }
  if (auto.min_icp_match !== undefined) {
    if (input.icpMatch === undefined) out.push(REASONS.icpMissing(auto.min_icp_match));
    else if (!(input.icpMatch >= auto.min_icp_match)) out.push(REASONS.icpLow(input.icpMatch, auto.min_icp_match));
  }
  const a = input.attributes;
  if (auto.segmentSet !== undefined && (a?.segment === undefined || !auto.segmentSet.has(a.segment)))
    out.push(REASONS.segmentNotKnownGood(a?.segment));
  if (
    auto.templateSet !== undefined &&
    a?.templateApproved !== true &&
    (a?.template === undefined || !auto.templateSet.has(a.template))
  )
    out.push(REASONS.templateNotApproved(a?.template));
  if (auto.sla_match === true && a?.slaMatch !== true) out.push(REASONS.slaNotMatched);
  return out;
}

function holds(condition: ExceptionCondition, input: DecisionInput): boolean {
  const a = input.attributes;
  if (a === undefined) return false;
  switch (condition) {
    case "named_account":
      return a.namedAccount === true;
    case "regulated_industry":
      return a.regulatedIndustry === true;
    case "exec_persona":
      return a.execPersona === true;
    case "new_segment":
      return a.newSegment === true;
    case "new_domain":
      return a.newDomain === true;
    case "new_provider":
      return a.newProvider === true;
  }
}

/** The record facts the CRM could not answer ("unknown"), for conditions this rule names. */
function isUnknown(condition: ExceptionCondition, input: DecisionInput): boolean {
  const a = input.attributes;
  if (a === undefined) return false;
  switch (condition) {
    case "named_account":
      return a.namedAccount === "unknown";
    case "regulated_industry":
      return a.regulatedIndustry === "unknown";
    case "exec_persona":
      return a.execPersona === "unknown";
    default:
      return false;
  }
}

/**
 * Reasons for the rule's exceptions (of either effect) whose fact is missing from the CRM, when
 * the policy says missing data means a human (`exception_data.when_missing: human`, the default).
 * A `deny` exception with no data is not a proven deny, but not a proven allow either: a person decides.
 */
export function unknownExceptions(rule: CompiledRule, input: DecisionInput, whenMissing: "human" | "allow"): string[] {
  if (whenMissing !== "human") return [];
  const out: string[] = [];
  for (const [condition] of rule.exceptions)
    if (isUnknown(condition, input)) out.push(EXCEPTION_REASONS[condition].unknown);
  return out;
}

/** Reasons of the rule's exceptions with this effect whose condition holds for the input. */
export function triggeredExceptions(rule: CompiledRule, input: DecisionInput, effect: ExceptionEffect): string[] {
  const out: string[] = [];
  for (const [condition, e] of rule.exceptions) {
    if (e === effect && holds(condition, input)) out.push(EXCEPTION_REASONS[condition][effect]);
  }
  return out;
}

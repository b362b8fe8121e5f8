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
  if (auto.templateSet !== undefined && (a?.template === undefined || !auto.templateSet.has(a.template)))
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
  }
}

/** Reasons of the rule's exceptions with this effect whose condition holds for the input. */
export function triggeredExceptions(rule: CompiledRule, input: DecisionInput, effect: ExceptionEffect): string[] {
  const out: string[] = [];
  for (const [condition, e] of rule.exceptions) {
    if (e === effect && holds(condition, input)) out.push(EXCEPTION_REASONS[condition][effect]);
  }
  return out;
}

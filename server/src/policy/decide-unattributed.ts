import { isProvenanceField, type PolicyObject } from "../../../shared/index.js";
import { canonicalOfShadow } from "./canonical-of-shadow.js";
import { REASONS } from "./reasons.js";
import type { CompiledPolicy, PolicyDecision } from "./types.js";

/**
 * docs/contracts.md#rules-that-never-bend: whether writes by neither a declared agent, a human nor Tollgate are
 * enforced.
 */
export function shouldEnforceUnattributed(policy: CompiledPolicy): boolean {
  return policy.unattributed === "enforce";
}

/**
 * The decision for a write by an unattributed source (another integration, a workflow), or
 * `undefined` when there is nothing to enforce: the policy only observes such writes, or the
 * field is not a governed field. Under `unattributed: enforce` such a writer has no permissions
 * at all, so a governed field is denied (and the backstop reverts it). Provenance and shadow
 * fields are never reverted: they are Tollgate's own bookkeeping and proposals, which decide
 * nothing until a decided write acts on them. This is the rule enforcement runs.
 */
export function decideUnattributed(
  policy: CompiledPolicy,
  input: { object: PolicyObject | string; field: string },
): PolicyDecision | undefined {
  if (!shouldEnforceUnattributed(policy)) return undefined;
  if (isProvenanceField(input.field) || canonicalOfShadow(policy, input.field) !== undefined) return undefined;
  const field = input.field;
  let governed = false;
  for (const role of policy.roles.values()) {
    if (role.objects.get(input.object as PolicyObject)?.fields.has(field)) {
      governed = true;
      break;
    }
  }
  if (!governed) return undefined;
  return {
    outcome: "deny",
    tier: 0,
    ruleId: "unattributed",
    policyVersion: policy.version,
    reasons: [REASONS.unattributedEnforced(input.field)],
  };
}

import { canonicalOfHubspotShadow } from "../../../shared/index.js";
import type { CompiledPolicy } from "./types.js";

/**
 * The canonical field a shadow field proposes (`ai_proposed_industry` → `industry`,
 * `AI_Proposed_Industry__c` → `Industry`), or `undefined` for a field that is not a shadow.
 * HubSpot's prefix inverts by itself; Salesforce's does not (`Industry` and `Industry__c` share
 * one shadow name), so its shadows come from the policy's governed fields.
 */
export function canonicalOfShadow(policy: CompiledPolicy, field: string): string | undefined {
  return canonicalOfHubspotShadow(field) ?? policy.salesforceShadows.get(field);
}

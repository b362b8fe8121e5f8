import { approverGroupOf, whyNotApprover } from "../policy/index.js";
import type { PolicyManifest } from "../../../shared/index.js";
import type { StoredApproval } from "./approval-store.js";
import type { Approver } from "./types.js";

/**
 * Card users (HubSpot and Salesforce) decide only within the approver group of the rule, as the
 * CRM reports them: HubSpot's user record, Salesforce's User and permission set assignments.
 * Everyone else who reaches the service (API keys, the CLI) may.
 */
export function createCardApproverCheck(
  manifestOf: (tenantId: string) => PolicyManifest,
): (approval: StoredApproval, approver: Approver) => string | undefined {
  return (approval, approver) => {
    if (approver.via !== "hubspot_card" && approver.via !== "salesforce_card") return undefined;
    const manifest = manifestOf(approval.tenantId);
    return whyNotApprover(manifest, approverGroupOf(manifest, approval.ruleId), approver.crmUser);
  };
}

import type { AgentIdentity, CompiledAgent, CompiledPolicy } from "./types.js";

/**
 * The declared agent behind a CRM identity, or `undefined` (a human, Tollgate, or an unattributed
 * integration — the caller tells those apart). Salesforce user ids match in 15- or 18-character
 * form; a Salesforce client name is checked before the user id, since one integration user may
 * carry several agents' clients.
 */
export function findAgent(policy: CompiledPolicy, identity: AgentIdentity): CompiledAgent | undefined {
  if (identity.crm === "hubspot") {
    if (identity.appId !== undefined) {
      const agent = policy.byHubspotAppId.get(String(identity.appId));
      if (agent) return agent;
    }
    return identity.userId === undefined ? undefined : policy.byHubspotUserId.get(String(identity.userId));
  }
  if (identity.client !== undefined) {
    const agent = policy.bySalesforceClient.get(identity.client);
    if (agent) return agent;
  }
  return identity.userId === undefined
    ? undefined
    : policy.bySalesforceUserId.get(String(identity.userId).slice(0, 15));
}

import type { Actor, CrmChange, EnforcementDeps, PolicyPort } from "./types.js";

/** HubSpot change sources that mean a person acted (their `sourceId` is `userId:<id>`). */
const HUBSPOT_PERSON_SOURCES = new Set([
  "CRM_UI",
  "CRM_UI_BULK_ACTION",
  "MOBILE_IOS",
  "MOBILE_ANDROID",
  "IMPORT",
  "EMAIL",
  "SALES",
  "BATCH_UPDATE",
  "MERGE_CONTACTS",
  "MERGE_COMPANIES",
  "CONVERSATIONS",
  "FORM",
  "PRESENTATION",
]);

/**
 * Says who made a change (DESIGN §1 "attribute actor"): a declared agent, a person, Tollgate
 * itself, or nobody Tollgate knows. Each agent has its own CRM identity, so its app id (or
 * integration user, or Salesforce client tag) names it.
 */
export function attributeChange(change: CrmChange, policy: PolicyPort, self: EnforcementDeps["self"]): Actor {
  return change.crm === "hubspot" ? attributeHubSpot(change, policy, self) : attributeSalesforce(change, policy, self);
}

function attributeHubSpot(change: CrmChange, policy: PolicyPort, self: EnforcementDeps["self"]): Actor {
  const changeSource = change.source.changeSource ?? "UNKNOWN";
  const sourceId = change.source.sourceId ?? "";
  const userMatch = /^userId:(\d+)$/.exec(sourceId);
  if (userMatch) {
    const userId = userMatch[1]!;
    const agent = policy.findAgent({ crm: "hubspot", userId });
    if (agent) return { type: "agent", agentId: agent.id, role: agent.role, via: `hubspot:user:${userId}` };
    return { type: "human", id: `hubspot:user:${userId}`, via: `hubspot:${changeSource}` };
  }
  if (/^\d+$/.test(sourceId)) {
    // Writes made with an app's token come back as INTEGRATION with the app id as sourceId.
    if (self.hubspotAppId && sourceId === self.hubspotAppId)
      return { type: "tollgate", via: `hubspot:app:${sourceId}` };
    const agent = policy.findAgent({ crm: "hubspot", appId: sourceId });
    if (agent) return { type: "agent", agentId: agent.id, role: agent.role, via: `hubspot:app:${sourceId}` };
    return { type: "unattributed", id: `hubspot:app:${sourceId}`, via: `hubspot:${changeSource}` };
  }
  if (HUBSPOT_PERSON_SOURCES.has(changeSource))
    return { type: "human", id: `hubspot:${changeSource}`, via: `hubspot:${changeSource}` };
  return {
    type: "unattributed",
    id: `hubspot:${changeSource}${sourceId ? `:${sourceId}` : ""}`,
    via: `hubspot:${changeSource}`,
  };
}

function attributeSalesforce(change: CrmChange, policy: PolicyPort, self: EnforcementDeps["self"]): Actor {
  const { userId, client } = change.source;
  const via = client ? `salesforce:client:${client}` : `salesforce:user:${userId ?? "unknown"}`;
  // Tollgate's own writes carry its client tag; its integration user catches those that do not.
  // 15- and 18-character ids name the same user; the first 15 are the id proper.
  const sameUser = (a: string | undefined, b: string | undefined) =>
    Boolean(a && b && a.slice(0, 15) === b.slice(0, 15));
  if ((client && client === self.salesforceClient) || sameUser(userId, self.salesforceUserId))
    return { type: "tollgate", via };
  const agent =
    (client && policy.findAgent({ crm: "salesforce", client })) ||
    (userId && policy.findAgent({ crm: "salesforce", userId })) ||
    undefined;
  if (agent) return { type: "agent", agentId: agent.id, role: agent.role, via };
  if (userId) return { type: "human", id: `salesforce:user:${userId}`, via };
  return { type: "unattributed", id: `salesforce:${change.source.changeSource ?? "unknown"}`, via };
}

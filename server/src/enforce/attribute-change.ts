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
 * Says who made a change (docs/architecture.md#the-flow "attribute actor"): a declared agent, a person, Tollgate
 * itself, or nobody Tollgate knows. Each agent has its own CRM identity, so its app id (or
 * integration user, or Salesforce client tag) names it.
 */
export function attributeChange(change: CrmChange, policy: PolicyPort, self: EnforcementDeps["self"]): Actor {
  return change.crm === "hubspot" ? attributeHubSpot(change, policy, self) : attributeSalesforce(change, policy, self);
}

/**
 * Loop safety (docs/architecture.md#the-flow): whether Tollgate itself made the change — HubSpot: its app id as
 * `sourceId` (its token's writes come back as `INTEGRATION` with it); Salesforce: its integration
 * user as `commitUser`, or (no user known) its client tag in `changeOrigin`. The one rule; `attributeChange` answers `tollgate`
 * exactly when it holds.
 */
export function isOwnWrite(change: Pick<CrmChange, "crm" | "source">, self: EnforcementDeps["self"]): boolean {
  const { sourceId, userId, client } = change.source;
  if (change.crm === "hubspot") return self.hubspotAppId !== undefined && sourceId === self.hubspotAppId;
  // The committing user decides when both it and Tollgate's user are known: any caller can send
  // `client=tollgate`, so the tag alone would let an agent pass its writes off as Tollgate's.
  // 15- and 18-character ids name the same user; the first 15 are the id proper.
  if (userId !== undefined && self.salesforceUserId !== undefined)
    return userId.slice(0, 15) === self.salesforceUserId.slice(0, 15);
  return client !== undefined && client === self.salesforceClient;
}

function attributeHubSpot(change: CrmChange, policy: PolicyPort, self: EnforcementDeps["self"]): Actor {
  if (isOwnWrite(change, self)) return { type: "tollgate", via: `hubspot:app:${change.source.sourceId}` };
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
  // Tollgate's own writes are its integration user's (the client tag only where no user is known).
  if (isOwnWrite(change, self)) return { type: "tollgate", via };
  const agent =
    (client && policy.findAgent({ crm: "salesforce", client })) ||
    (userId && policy.findAgent({ crm: "salesforce", userId })) ||
    undefined;
  if (agent) return { type: "agent", agentId: agent.id, role: agent.role, via };
  if (userId) return { type: "human", id: `salesforce:user:${userId}`, via };
  return { type: "unattributed", id: `salesforce:${change.source.changeSource ?? "unknown"}`, via };
}

import type { ContainmentPoint } from "../../../shared/index.js";
import { notApplicable } from "./freeze-users.js";
import type { PointContext } from "./types.js";

/**
 * `crm_tokens_revoked`: the HubSpot refresh tokens of agent apps installed through Tollgate are revoked
 * at HubSpot and dropped (re-consent required); agents without one are contained by the gate, the MCP
 * server and the revert backstop. A revoke HubSpot does not confirm throws: the point fails and is retried.
 */
export async function crmTokensRevoked(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "crm_tokens_revoked" as const;
  if (!ctx.coversAgents)
    return notApplicable(point, ctx, `a ${ctx.change.scope.type} switch revokes no agent credential`);
  const connector = await ctx.options.connectorFor(ctx.change.tenantId);
  if (connector.crm === "salesforce")
    return notApplicable(point, ctx, "Salesforce agents are contained by freezing their users (crm_users_frozen)");
  const broker = ctx.options.agentTokens;
  const revoked = broker ? await broker.revokeFor(ctx.change.tenantId, ctx.agents, new Date(ctx.change.when)) : [];
  const others = ctx.policy.manifest.agents
    .filter((a) => ctx.agents.includes(a.id) && !revoked.some((r) => r.agentId === a.id))
    .map((a) => `${a.id}${a.hubspot?.appIds?.length ? ` (app ${a.hubspot.appIds.join(", ")})` : ""}`);
  const rest = `${others.length ? others.join(", ") : "the agents in scope"}: not installed through Tollgate, so Tollgate holds none of their HubSpot tokens to revoke; the gate, the MCP server and the revert backstop contain them (give agents Tollgate's MCP server instead of a HubSpot token: docs/operations.md)`;
  if (revoked.length === 0) return notApplicable(point, ctx, rest);
  const each = revoked.map(
    (r) =>
      `${r.agentId}: refresh token revoked at HubSpot ${r.revokedAt}, re-consent required at ${broker!.installPath(r.agentId)}; ${r.lastAccessExpiresAt ? `the last access token Tollgate issued lives until ${r.lastAccessExpiresAt} (HubSpot does not revoke issued access tokens)` : "no access token was issued"}`,
  );
  return {
    point,
    state: "confirmed",
    detail: [...each, ...(others.length ? [rest] : [])].join("; "),
    confirmedAt: revoked
      .map((r) => r.revokedAt)
      .sort()
      .at(-1)!,
    count: revoked.length,
  };
}

/** On lift: revoked agent tokens are not restored; each agent app needs a new consent. */
export async function crmTokensStayRevoked(ctx: PointContext): Promise<ContainmentPoint> {
  const broker = ctx.options.agentTokens;
  const apps = ctx.policy.manifest.agents.filter((a) => ctx.agents.includes(a.id) && a.hubspot?.appClientId);
  if (!broker || apps.length === 0)
    return notApplicable("crm_tokens_revoked", ctx, "no agent app in scope is installed through Tollgate");
  return notApplicable(
    "crm_tokens_revoked",
    ctx,
    `tokens are not restored on lift: re-consent needed — ${apps.map((a) => `${a.id} at ${broker.installPath(a.id)}`).join(", ")}`,
  );
}

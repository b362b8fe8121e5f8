import type { ContainmentPoint } from "../../../shared/index.js";
import { countHeldWrites } from "../killswitch/index.js";
import { notApplicable } from "./freeze-users.js";
import { loadSql } from "./load-sql.js";
import type { PointContext } from "./types.js";

/** Scopes a queued CRM write can be told apart by (killswitch/ `holdingSwitch`). */
const holdsQueue = (ctx: PointContext) => ctx.coversAgents || ctx.key === "channel:crm";

/**
 * `queues_held`: this process's write queue holds the scope's queued agent writes (its in-memory copy has the switch).
 */
export async function queuesHeld(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "queues_held" as const;
  if (!holdsQueue(ctx))
    return notApplicable(
      point,
      ctx,
      `queued CRM writes are held by tenant, crm channel, role and agent switches; this ${ctx.change.scope.type} switch refuses its scope's decisions instead`,
    );
  const cached = ctx.options.killSwitches.cached(ctx.change.tenantId).active;
  if (!ctx.keys.every((k) => cached.has(k)))
    return { point, state: "pending", detail: "the write queue has not seen the switch yet", confirmedAt: null };
  const n = await countHeldWrites(
    ctx.options.db,
    ctx.change.tenantId,
    ctx.keys,
    (_t, agentId) => ctx.policy.agents.get(agentId)?.role,
  );
  return {
    point,
    state: "confirmed",
    detail: `the write queue holds the scope: ${n} queued agent write(s) when checked, none sent while on`,
    confirmedAt: ctx.at(),
    count: n,
  };
}

/** `keys_refused`: the agent keys in scope are refused (`/v1/actions`, `/mcp`), as the shared switch cache reports. */
export async function keysRefused(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "keys_refused" as const;
  if (!ctx.coversAgents)
    return notApplicable(
      point,
      ctx,
      `a ${ctx.change.scope.type} switch leaves agent keys working; each decision on its scope is refused (killed)`,
    );
  const active = (await ctx.options.killSwitches.active(ctx.change.tenantId)).active;
  if (!active.has(ctx.key))
    return { point, state: "pending", detail: "the switch cache does not show the switch yet", confirmedAt: null };
  return {
    point,
    state: "confirmed",
    detail: `agent keys of ${ctx.agents.join(", ") || "no declared agent"} refused (403 agent_killed)`,
    confirmedAt: ctx.at(),
    count: ctx.agents.length,
  };
}

/**
 * `permits_revoked`: unused permits of the scope issued before the switch; the verifier refuses them from the switch
 * on.
 */
export async function permitsRevoked(ctx: PointContext): Promise<ContainmentPoint> {
  const { rows } = await ctx.options.db.query<{ n: number }>(loadSql("count-revoked-permits"), [
    ctx.change.tenantId,
    ctx.keys,
    ctx.change.when,
  ]);
  const n = rows[0]?.n ?? 0;
  return {
    point: "permits_revoked",
    state: "confirmed",
    detail: `${n} outstanding permit(s) revoked: POST /v1/permits/verify refuses them (killed), also after the switch is lifted`,
    confirmedAt: ctx.at(),
    count: n,
  };
}

/**
 * `mcp_sessions_closed`: the scope's agents' MCP sessions in this process are closed, their calls in progress aborted.
 */
export async function mcpSessionsClosed(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "mcp_sessions_closed" as const;
  if (!ctx.coversAgents)
    return notApplicable(
      point,
      ctx,
      `a ${ctx.change.scope.type} switch leaves sessions open; calls on its scope are refused (killed)`,
    );
  const mcp = ctx.options.mcp;
  if (!mcp) return notApplicable(point, ctx, "no MCP server runs in this process");
  const all = ctx.change.scope.type === "tenant";
  // Only sessions opened before the switch: one opened since is read-only already.
  const n = await mcp.closeSessionsFor(ctx.change.tenantId, all ? undefined : ctx.agents, new Date(ctx.change.when));
  return {
    point,
    state: "confirmed",
    detail: `${n} MCP session(s) closed here (calls in progress aborted); other processes close theirs on the switch notice; a new session is read-only`,
    confirmedAt: ctx.at(),
    count: n,
  };
}

/**
 * `crm_tokens_revoked`: which CRM tokens of the agents Tollgate could revoke — and where it cannot, why, and what
 * contains them instead.
 */
export async function crmTokensRevoked(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "crm_tokens_revoked" as const;
  if (!ctx.coversAgents)
    return notApplicable(point, ctx, `a ${ctx.change.scope.type} switch revokes no agent credential`);
  const connector = await ctx.options.connectorFor(ctx.change.tenantId);
  if (connector.crm === "salesforce")
    return notApplicable(point, ctx, "Salesforce agents are contained by freezing their users (crm_users_frozen)");
  const apps = ctx.policy.manifest.agents
    .filter((a) => ctx.agents.includes(a.id))
    .flatMap((a) => (a.hubspot?.appIds ?? []).map((id) => `${a.id} (app ${id})`));
  return notApplicable(
    point,
    ctx,
    `${apps.length ? apps.join(", ") : "the agents in scope"}: not installed through Tollgate, so Tollgate holds none of their HubSpot tokens to revoke; the gate, the MCP server and the revert backstop contain them (give agents Tollgate's MCP server instead of a HubSpot token: docs/operations.md)`,
  );
}

/**
 * `direct_writes_reverted`: direct agent writes still arriving are refused, and none of their reverts is left to land.
 */
export async function directWritesReverted(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "direct_writes_reverted" as const;
  const { change } = ctx;
  const agents = change.scope.type === "tenant" || !ctx.coversAgents ? null : ctx.agents;
  const { rows } = await ctx.options.db.query<{ pending: number; done: number; settled_otherwise: number }>(
    loadSql("count-reverts"),
    [change.tenantId, change.when, agents],
  );
  const r = rows[0] ?? { pending: 0, done: 0, settled_otherwise: 0 };
  const sw = (await ctx.options.killSwitches.list(change.tenantId)).find((s) => s.eventId === change.eventId);
  const refused = sw?.prevented?.decisions ?? 0;
  const unread = (await ctx.options.pendingChanges?.(change.tenantId)) ?? 0;
  const detail = `${refused} decision(s) refused since the switch; ${r.done} direct write(s) reverted, ${r.settled_otherwise} settled as conflicts or failures, ${r.pending} revert(s) still to land, ${unread} received change batch(es) still to check`;
  // Quiet: nothing new refused since the last check, and long enough since the switch for writes
  // already in the CRM's webhook or CDC pipe to have arrived.
  const before = ctx.memo.get("refused");
  ctx.memo.set("refused", refused);
  const since = Date.parse(ctx.at()) - Date.parse(change.when);
  const quiet = before === refused && since >= (ctx.options.quietMs ?? 2_000);
  if (r.pending > 0 || unread > 0 || !quiet)
    return { point, state: "pending", detail, confirmedAt: null, count: r.done };
  return { point, state: "confirmed", detail, confirmedAt: ctx.at(), count: r.done };
}

/** On lift, `queues_released`: the write queue no longer holds the scope (what another switch holds stays held). */
export async function queuesReleased(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "queues_released" as const;
  if (!holdsQueue(ctx)) return notApplicable(point, ctx, `a ${ctx.change.scope.type} switch held no queued write`);
  const cached = ctx.options.killSwitches.cached(ctx.change.tenantId).active;
  if (ctx.keys.some((k) => cached.has(k)))
    return { point, state: "pending", detail: "the write queue still holds the scope", confirmedAt: null };
  return {
    point,
    state: "confirmed",
    detail: "the queue sends the writes the switch held (unless another switch holds them)",
    confirmedAt: ctx.at(),
  };
}

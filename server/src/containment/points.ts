import type { ContainmentPoint } from "../../../shared/index.js";
import { countCancelledWrites, countCoveredWrites } from "../killswitch/index.js";
import { notApplicable } from "./freeze-users.js";
import { loadSql } from "./load-sql.js";
import type { PointContext } from "./types.js";

/** Scopes a queued CRM write can be told apart by (killswitch/ `cancellingSwitch`). */
const cancelsQueue = (ctx: PointContext) => ctx.coversAgents || ctx.key === "channel:crm";

/**
 * `queued_work_cancelled`: the write queue cancels the scope's queued agent writes (applies,
 * provenance stamps, executed actions) — each marked `cancelled` and audited as caused by the
 * switch, an approved apply's approval back to `pending` — and confirms once none is left in scope.
 * A write already sent completes (and is reported as written); one about to be sent is cancelled.
 */
export async function queuedWorkCancelled(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "queued_work_cancelled" as const;
  if (!cancelsQueue(ctx))
    return notApplicable(
      point,
      ctx,
      `queued CRM writes are cancelled by tenant, crm channel, role and agent switches; this ${ctx.change.scope.type} switch refuses its scope's decisions instead`,
    );
  const cached = ctx.options.killSwitches.cached(ctx.change.tenantId).active;
  if (!ctx.keys.every((k) => cached.has(k)))
    return { point, state: "pending", detail: "the write queue has not seen the switch yet", confirmedAt: null };
  const { db } = ctx.options;
  const tenantId = ctx.change.tenantId;
  const roleOf = (_t: string, agentId: string) => ctx.policy.agents.get(agentId)?.role;
  const left = await countCoveredWrites(db, tenantId, ctx.keys, roleOf);
  const cancelled = ctx.change.eventId ? await countCancelledWrites(db, tenantId, ctx.change.eventId) : 0;
  if (left > 0)
    return {
      point,
      state: "pending",
      detail: `${cancelled} queued agent write(s) cancelled, ${left} still queued or being sent (each is cancelled before it is sent, or completes and is reported)`,
      confirmedAt: null,
      count: cancelled,
    };
  return {
    point,
    state: "confirmed",
    detail: `${cancelled} queued agent write(s) cancelled (never sent, not on lift either; approved applies are pending approval again), none left in scope`,
    confirmedAt: ctx.at(),
    count: cancelled,
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

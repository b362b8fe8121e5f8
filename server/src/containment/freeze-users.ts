import type { AuditEventInput, ContainmentPoint } from "../../../shared/index.js";
import { loadSql } from "./load-sql.js";
import { freezeTargets, type FreezeTarget } from "./scope-agents.js";
import type { PointContext } from "./types.js";

const MANAGE_USERS = "grant Tollgate's integration user the Manage Users permission (docs/operations.md, containment)";

/** The audit event of one freeze or unfreeze: who (Tollgate, for the switch's author) and why. */
function freezeEvent(
  ctx: PointContext,
  t: FreezeTarget,
  frozen: boolean,
  outcome: { error?: string; wasFrozen?: boolean },
) {
  const { change } = ctx;
  return {
    tenant_id: change.tenantId,
    occurred_at: ctx.at(),
    actor: { type: "system", id: "tollgate", role: null, via: "kill_switch" },
    action: frozen ? "crm_user_freeze" : "crm_user_unfreeze",
    crm: "salesforce",
    object_type: "User",
    object_id: t.userId,
    caused_by: change.eventId,
    reason: `${frozen ? "freeze" : "unfreeze"} ${t.agentId}'s own user: kill switch ${ctx.key} turned ${change.state} by ${change.who.id} (${change.reason})`,
    result: outcome.error ? "failed" : "ok",
    error: outcome.error ?? null,
    evidence: { agentId: t.agentId, switch: ctx.key, switchedBy: change.who, wasFrozen: outcome.wasFrozen ?? null },
  } satisfies AuditEventInput;
}

const errorOf = (err: unknown) => {
  const e = err as { crmCode?: string; message?: string };
  return e.crmCode === "forbidden" ? `${e.message ?? "forbidden"}: ${MANAGE_USERS}` : (e.message ?? String(err));
};

/**
 * Freezes the agents' own Salesforce users (`crm_users_frozen`); users already frozen for this switch are checked, not
 * frozen twice.
 */
export async function freezeAgentUsers(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "crm_users_frozen" as const;
  const { options, change } = ctx;
  if (!ctx.coversAgents)
    return notApplicable(point, ctx, `a ${change.scope.type} switch stops a scope, not an agent's own CRM user`);
  const connector = await options.connectorFor(change.tenantId);
  if (!connector.setUserFrozen)
    return notApplicable(point, ctx, `${connector.crm} offers no user freeze: see crm_tokens_revoked`);
  const targets = freezeTargets(ctx.policy, ctx.agents, options.ownUserIds(change.tenantId));
  const toFreeze = targets.filter((t) => !t.refused);
  const skipped = targets.filter((t) => t.refused).map((t) => t.refused!);
  if (toFreeze.length === 0)
    return notApplicable(
      point,
      ctx,
      skipped.length ? `nothing to freeze: ${skipped.join("; ")}` : "no agent in scope declares salesforce.userIds",
    );
  const already = await frozenFor(ctx);
  const errors: string[] = [];
  for (const t of toFreeze) {
    if (already.has(t.userId)) continue;
    try {
      const r = await connector.setUserFrozen(t.userId, true);
      if (!r.frozen) throw new Error(`the org still reports ${t.userId} as not frozen`);
      // A user an admin had frozen before stays the admin's: lifting the switch will not unfreeze it.
      if (!r.wasFrozen)
        await options.db.query(loadSql("insert-frozen-user"), [
          change.tenantId,
          t.userId,
          t.agentId,
          ctx.key,
          ctx.at(),
        ]);
      await options.audit.append(freezeEvent(ctx, t, true, { wasFrozen: r.wasFrozen }));
    } catch (err) {
      errors.push(`${t.userId}: ${errorOf(err)}`);
      await options.audit.append(freezeEvent(ctx, t, true, { error: errorOf(err) })).catch(() => undefined);
    }
  }
  const note = skipped.length ? `; not frozen: ${skipped.join("; ")}` : "";
  if (errors.length)
    return { point, state: "failed", detail: `could not freeze ${errors.join("; ")}${note}`, confirmedAt: null };
  return {
    point,
    state: "confirmed",
    detail: `${toFreeze.length} Salesforce user(s) frozen (UserLogin.IsFrozen): ${toFreeze.map((t) => `${t.userId} (${t.agentId})`).join(", ")}${note}`,
    confirmedAt: ctx.at(),
    count: toFreeze.length,
  };
}

async function frozenFor(ctx: PointContext): Promise<Set<string>> {
  const rows = await frozenRows(ctx.options.db, ctx.change.tenantId);
  return new Set(rows.filter((r) => r.switch_key === ctx.key).map((r) => r.user_id));
}

const frozenRows = async (db: PointContext["options"]["db"], tenantId: string) =>
  (
    await db.query<{ user_id: string; agent_id: string; switch_key: string }>(loadSql("select-frozen-users"), [
      tenantId,
    ])
  ).rows;

/**
 * On lift (`crm_users_unfrozen`): unfreezes the users THIS switch froze — never one an admin had
 * frozen, and not one another switch that is still on also froze (it stays frozen until that lifts).
 */
export async function unfreezeAgentUsers(ctx: PointContext): Promise<ContainmentPoint> {
  const point = "crm_users_unfrozen" as const;
  const { options, change } = ctx;
  const rows = await frozenRows(options.db, change.tenantId);
  const mine = rows.filter((r) => r.switch_key === ctx.key);
  if (mine.length === 0) return notApplicable(point, ctx, "this switch froze no CRM user");
  const active = (await options.killSwitches.active(change.tenantId)).active;
  const connector = await options.connectorFor(change.tenantId);
  const errors: string[] = [];
  const kept: string[] = [];
  let unfrozen = 0;
  for (const r of mine) {
    const t = { agentId: r.agent_id, userId: r.user_id };
    const holder = rows.find((o) => o.user_id === r.user_id && o.switch_key !== ctx.key && active.has(o.switch_key));
    try {
      if (holder) kept.push(`${r.user_id} (still covered by ${holder.switch_key})`);
      else {
        const result = await connector.setUserFrozen!(r.user_id, false);
        if (result.frozen) throw new Error(`the org still reports ${r.user_id} as frozen`);
        await options.audit.append(freezeEvent(ctx, t, false, { wasFrozen: result.wasFrozen }));
        unfrozen += 1;
      }
      await options.db.query(loadSql("delete-frozen-user"), [change.tenantId, r.user_id, ctx.key]);
    } catch (err) {
      errors.push(`${r.user_id}: ${errorOf(err)}`);
      await options.audit.append(freezeEvent(ctx, t, false, { error: errorOf(err) })).catch(() => undefined);
    }
  }
  const note = kept.length ? `; kept frozen: ${kept.join(", ")}` : "";
  if (errors.length)
    return { point, state: "failed", detail: `could not unfreeze ${errors.join("; ")}${note}`, confirmedAt: null };
  return {
    point,
    state: "confirmed",
    detail: `${unfrozen} user(s) unfrozen${note}`,
    confirmedAt: ctx.at(),
    count: unfrozen,
  };
}

export function notApplicable(point: ContainmentPoint["point"], ctx: PointContext, detail: string): ContainmentPoint {
  return { point, state: "not_applicable", detail, confirmedAt: ctx.at() };
}

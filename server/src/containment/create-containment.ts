import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import type { ContainmentPoint, ContainmentPointName, ContainmentReport } from "../../../shared/index.js";
import { policyKeysOf, type KillSwitch } from "../killswitch/index.js";
import { freezeAgentUsers, unfreezeAgentUsers } from "./freeze-users.js";
import { loadSql } from "./load-sql.js";
import { directWritesReverted, keysRefused, mcpSessionsClosed, permitsRevoked, queuedWorkCancelled } from "./points.js";
import { crmTokensRevoked, crmTokensStayRevoked } from "./revoke-tokens.js";
import { agentsInScope } from "./scope-agents.js";
import { isSettled, summarize } from "./summarize.js";
import type { Containment, ContainmentOptions, PointCheck, PointContext } from "./types.js";

/**
 * The points of a trip or pull, in the order they are acted on (the CRM freeze first: it cuts the agent off at the
 * source).
 */
const ON: [ContainmentPointName, PointCheck][] = [
  ["crm_users_frozen", freezeAgentUsers],
  ["queued_work_cancelled", queuedWorkCancelled],
  ["keys_refused", keysRefused],
  ["permits_revoked", permitsRevoked],
  ["mcp_sessions_closed", mcpSessionsClosed],
  ["crm_tokens_revoked", crmTokensRevoked],
  ["direct_writes_reverted", directWritesReverted],
];
/** On lift nothing the switch cancelled is released: an agent's cancelled work stays cancelled. */
const OFF: [ContainmentPointName, PointCheck][] = [
  ["crm_users_unfrozen", unfreezeAgentUsers],
  ["crm_tokens_revoked", crmTokensStayRevoked],
];
const AGENT_SCOPES = new Set(["agent", "role", "tenant"]);
/**
 * Points re-checked on every pass until the report settles, even once confirmed: a webhook batch
 * decided just before the trip may still commit its provenance stamps after the first check, and
 * the queue cancels them then — the report counts them, or goes back to pending if one is queued.
 */
const RECOUNTED = new Set<ContainmentPointName>(["queued_work_cancelled"]);

/**
 * Containment at the source (docs/operations.md, containment): for every switch change made in
 * this process, acts at each containment point and confirms it — queued work cancelled, keys refused,
 * permits revoked, MCP sessions closed, the agents' own CRM users frozen (or why not), direct
 * writes still arriving reverted — and records the report (PostgreSQL, `GET /v1/kill-switches`,
 * and the audit once it settles). A point not yet confirmed is checked again until it is, or the
 * watch ends and the report says `not_contained`.
 *
 * @example
 * const containment = createContainment({ db, audit, killSwitches, policyOf, connectorFor, ownUserIds, mcp });
 * killSwitches.onSwitched((change) => void containment.handle(change));
 */
export function createContainment(options: ContainmentOptions): Containment {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? pino({ level: "silent" });
  const watches = new Set<Promise<void>>();
  let closed = false;

  function contextOf(change: KillSwitch): PointContext {
    const policy = options.policyOf(change.tenantId);
    const keys = policyKeysOf(change.scope.type, change.scope.value);
    return {
      options,
      change,
      key: change.scope.type === "tenant" ? "tenant" : `${change.scope.type}:${change.scope.value ?? ""}`,
      keys,
      agents: agentsInScope(policy, change.scope),
      coversAgents: AGENT_SCOPES.has(change.scope.type),
      policy,
      at: () => now().toISOString(),
      memo: new Map(),
    };
  }

  async function check(
    ctx: PointContext,
    [point, fn]: [ContainmentPointName, PointCheck],
    previous?: ContainmentPoint,
  ): Promise<ContainmentPoint> {
    const settled = previous && (previous.state === "confirmed" || previous.state === "not_applicable");
    if (settled && !RECOUNTED.has(point)) return previous;
    try {
      const next = await fn(ctx);
      // Still confirmed: the count is refreshed, the time it first confirmed kept.
      return settled && next.state === previous.state ? { ...next, confirmedAt: previous.confirmedAt } : next;
    } catch (err) {
      const message = (err as Error).message;
      logger.warn({ err: message, tenantId: ctx.change.tenantId, point }, "containment point failed");
      return { point, state: "failed", detail: `check failed: ${message}`, confirmedAt: null };
    }
  }

  /** A later change of the same switch ends the watch of this one (a trip lifted, a lift undone). */
  async function superseded(change: KillSwitch): Promise<boolean> {
    const current = (await options.killSwitches.list(change.tenantId)).find(
      (s) => s.scope.type === change.scope.type && s.scope.value === change.scope.value,
    );
    return change.state === "on" ? current?.eventId !== change.eventId : current !== undefined;
  }

  async function record(report: ContainmentReport, final: boolean): Promise<void> {
    const c = report.scope;
    await options.db.query(loadSql("upsert-report"), [
      report.switchEventId,
      report.tenantId,
      c.type,
      c.value ?? "",
      report.state,
      JSON.stringify(report),
      now().toISOString(),
    ]);
    if (!final) return;
    await options.audit.append({
      tenant_id: report.tenantId,
      occurred_at: now().toISOString(),
      actor: { type: "system", id: "tollgate", role: null, via: "kill_switch" },
      action: "containment_report",
      caused_by: report.switchEventId,
      diff_summary: `${report.status}${report.secondsToContained !== null ? ` in ${report.secondsToContained.toFixed(1)} s` : ""}`,
      result: report.status === "not_contained" ? "failed" : "ok",
      evidence: report,
    });
  }

  async function watch(ctx: PointContext, checks: typeof ON, points: ContainmentPoint[]): Promise<void> {
    const deadline = Date.parse(ctx.change.when) + (options.watchMs ?? 600_000);
    while (!closed && !isSettled(points) && now().getTime() < deadline) {
      await sleep(options.recheckMs ?? 1_000, undefined, { ref: false });
      if (closed) return;
      if (await superseded(ctx.change)) break;
      for (const [i, c] of checks.entries()) points[i] = await check(ctx, c, points[i]);
      await record(summarize(ctx.change, points, false), false);
    }
    if (!closed) await record(summarize(ctx.change, points, true), true);
  }

  return {
    handle(change) {
      const ctx = contextOf(change);
      const checks = change.state === "on" ? ON : OFF;
      // The whole run is tracked from its first step, so `idle()` waits for a change just handed in.
      const first = (async () => {
        const points: ContainmentPoint[] = [];
        for (const c of checks) points.push(await check(ctx, c));
        const report = summarize(change, points, false);
        await record(report, false);
        return { report, points };
      })();
      const run: Promise<void> = first
        .then(({ points }) => watch(ctx, checks, points))
        .catch((err) =>
          logger.error({ err: (err as Error).message, tenantId: change.tenantId }, "containment watch failed"),
        )
        .finally(() => watches.delete(run));
      watches.add(run);
      return first.then((f) => f.report);
    },

    async reportsOf(tenantId, eventIds) {
      const out = new Map<string, ContainmentReport>();
      if (eventIds.length === 0) return out;
      const { rows } = await options.db.query<{ event_id: string; report: ContainmentReport }>(
        loadSql("select-reports"),
        [tenantId, eventIds],
      );
      for (const r of rows) out.set(r.event_id, r.report);
      return out;
    },

    async idle() {
      while (watches.size) await Promise.all([...watches]);
    },

    async close() {
      closed = true;
      await Promise.all([...watches]);
    },
  };
}

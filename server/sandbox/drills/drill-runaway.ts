import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { ContainmentReport } from "../../../shared/index.js";
import type { KillSwitch } from "../../src/killswitch/index.js";
import { startGuardedStack, type GuardedStack } from "./drill-stack.js";

const AGENT = { id: "enrichment-bot", appId: 1000002 };

/**
 * The drill's policy: the agent may write company industry (tier 2), one write at a time; a trigger stops it above
 * `threshold` writes a minute.
 */
export function runawayPolicyYaml(threshold: number): string {
  return `version: 1
tenant: default
timezone: UTC
agents:
  - { id: ${AGENT.id}, role: enrichment, hubspot: { appIds: [${AGENT.appId}] } }
roles:
  enrichment:
    objects:
      company:
        read: allow
        fields:
          industry: { tier: 2 }
kill_switch_triggers:
  - { metric: agent_writes_per_minute, above: ${threshold}, scope: agent }
`;
}

export interface RunawayDrillOptions {
  /** Writes the runaway agent makes, each to its own company. @defaultValue 10_000 */
  writes?: number;
  /** `agent_writes_per_minute` above which the agent is stopped. @defaultValue 30 */
  threshold?: number;
  /** Roll back the writes made before the trip with one rollback request. @defaultValue true */
  rollback?: boolean;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface RunawayDrillReport {
  writesMade: number;
  threshold: number;
  /** Writes allowed before the switch tripped (the trip refuses the write that crosses the threshold). */
  allowedBeforeTrip: number;
  /** The 1-based write that tripped the switch, or null if it never tripped. */
  trippedAtWrite: number | null;
  trip: KillSwitch | undefined;
  /** Writes after the trip, decided `killed`. */
  killedAfterTrip: number;
  /** Of the companies written after the trip, how many hold their value from before the runaway. */
  restoredAfterTrip: number;
  notRestoredAfterTrip: number;
  /** Queued agent writes (provenance stamps) the switch cancelled. */
  cancelledWrites: number;
  preventedDecisions: number;
  /** Agent-originated CRM writes sent after the trip (must be 0). */
  agentWritesSentAfterTrip: number;
  /** What one rollback request planned for the pre-trip writes, and how many companies it restored. */
  rollbackPlanned: number | null;
  rollbackRestored: number | null;
  crmCalls: { total: number; byRoute: Record<string, number>; rateLimited: number };
  seconds: number;
  /** The trip's containment report (docs/operations.md#containment), once it settled or after 60 s. */
  containment: ContainmentReport | undefined;
}

/**
 * R12 drill 5 in the sandbox: a runaway agent writes a field its policy allows, one write at a
 * time, far faster than any enrichment job should; the `agent_writes_per_minute` trigger stops
 * it; everything after the trip is reverted; what came before is rolled back with one request.
 */
export async function runRunawayDrill(options: RunawayDrillOptions = {}): Promise<RunawayDrillReport> {
  const n = options.writes ?? 10_000;
  const threshold = options.threshold ?? 30;
  const log = options.log ?? (() => undefined);
  const stack = await startGuardedStack({
    policyYaml: runawayPolicyYaml(threshold),
    agents: [AGENT],
    databaseUrl: options.databaseUrl,
    redisUrl: options.redisUrl,
  });
  try {
    return await drill(stack, n, threshold, options.rollback ?? true, log);
  } finally {
    await stack.close();
  }
}

async function drill(
  stack: GuardedStack,
  n: number,
  threshold: number,
  withRollback: boolean,
  log: (line: string) => void,
): Promise<RunawayDrillReport> {
  const { sandbox } = stack.started;
  const { tenantId, tollgate } = stack;
  const ids = Array.from({ length: n }, (_, i) => String(300_000 + i));
  sandbox.seed(
    "companies",
    ids.map((id) => ({ id, properties: { name: `Company ${id}`, industry: "Original" } })),
  );
  await tollgate.baseline(tenantId);
  const callsOf = () => Object.values(sandbox.stats().calls).reduce((a, b) => a + b, 0);
  const calls0 = callsOf();
  const limited0 = sandbox.stats().rateLimited;
  const byRoute0 = { ...sandbox.stats().calls };
  const t0 = performance.now();
  const startedAt = new Date(Date.now() - 1000);

  log(
    `runaway: ${AGENT.id} writes industry on ${n} companies as fast as it can (trigger: agent_writes_per_minute above ${threshold})`,
  );
  for (let i = 0; i < n; i++) {
    sandbox.write("companies", ids[i]!, { industry: `Runaway ${i}` }, { kind: "app", appId: String(AGENT.appId) });
    if (i % 50 === 49) await yieldToLoop();
  }
  await stack.settle();

  const outcomes = await countOutcomes(stack);
  const trip = (await stack.killSwitches.list(tenantId)).find(
    (s) => s.scope.type === "agent" && s.scope.value === AGENT.id,
  );
  const allowedIds = new Set(outcomes.allowedIds);
  const after = ids.filter((id) => !allowedIds.has(id));
  const restoredAfterTrip = after.filter(
    (id) => sandbox.getRecord("companies", id)?.properties.industry === "Original",
  ).length;
  const sentAfter = trip
    ? (
        await tollgate.internals.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 AND agent_id = $2 AND status = 'done' AND done_at > $3",
          [tenantId, AGENT.id, trip.when],
        )
      ).rows[0]!.n
    : 0;
  log(
    `tripped: ${trip ? `${trip.when} by ${trip.who.id} (${trip.reason})` : "never"}; ${outcomes.allowed} writes allowed before, ${outcomes.killed} refused after`,
  );

  const containment = trip?.eventId ? await settledReport(stack, trip.eventId) : undefined;
  let rollbackPlanned: number | null = null;
  let rollbackRestored: number | null = null;
  if (withRollback) {
    const plan = await stack.rollback.plan(
      tenantId,
      { agentId: AGENT.id, from: startedAt.toISOString(), to: new Date(Date.now() + 1000).toISOString() },
      { type: "human", id: "drill", role: "revops_admin", via: "cli" },
    );
    rollbackPlanned = plan.planned.length;
    await stack.settle();
    rollbackRestored = outcomes.allowedIds.filter(
      (id) => sandbox.getRecord("companies", id)?.properties.industry === "Original",
    ).length;
    log(
      `rollback: ${rollbackPlanned} restores planned, ${rollbackRestored} companies back to their value before the runaway`,
    );
  }

  const stats = sandbox.stats();
  const byRoute: Record<string, number> = {};
  for (const [route, c] of Object.entries(stats.calls))
    if (c - (byRoute0[route] ?? 0) > 0) byRoute[route] = c - (byRoute0[route] ?? 0);
  return {
    writesMade: n,
    threshold,
    allowedBeforeTrip: outcomes.allowed,
    trippedAtWrite: trip ? outcomes.allowed + 1 : null,
    trip,
    killedAfterTrip: outcomes.killed,
    restoredAfterTrip,
    notRestoredAfterTrip: after.length - restoredAfterTrip,
    cancelledWrites: await stack.cancelled(),
    preventedDecisions: trip?.prevented?.decisions ?? 0,
    agentWritesSentAfterTrip: sentAfter,
    rollbackPlanned,
    rollbackRestored,
    crmCalls: { total: callsOf() - calls0, byRoute, rateLimited: stats.rateLimited - limited0 },
    seconds: (performance.now() - t0) / 1000,
    containment,
  };
}

/** The trip's containment report once no point is pending any more (or after 60 s: then as it stands). */
async function settledReport(stack: GuardedStack, eventId: string): Promise<ContainmentReport | undefined> {
  const { containment } = stack.tollgate.services;
  let report: ContainmentReport | undefined;
  for (let i = 0; i < 600; i++) {
    report = (await containment.reportsOf(stack.tenantId, [eventId])).get(eventId);
    if (report && report.status !== "containing") return report;
    await new Promise((r) => setTimeout(r, 100));
  }
  return report;
}

/** The containment report as a person reads it: each point, its state, and when it confirmed. */
export function formatContainment(r: ContainmentReport): string[] {
  const at = (iso: string | null) =>
    iso ? `+${((Date.parse(iso) - Date.parse(r.startedAt)) / 1000).toFixed(2)} s` : "—";
  return [
    `containment: ${r.status.toUpperCase()}${r.secondsToContained !== null ? ` ${r.secondsToContained.toFixed(2)} s from trip to contained` : ""}`,
    ...r.points.map((p) => `  ${p.point.padEnd(24)} ${p.state.padEnd(15)} ${at(p.confirmedAt).padEnd(9)} ${p.detail}`),
  ];
}

async function countOutcomes(stack: GuardedStack): Promise<{ allowed: number; killed: number; allowedIds: string[] }> {
  const { rows } = await stack.tollgate.internals.db.query<{ outcome: string; object_id: string }>(
    `SELECT event->'decision'->>'outcome' AS outcome, event->>'object_id' AS object_id FROM audit_events
     WHERE tenant_id = $1 AND event->'actor'->>'id' = $2 AND event->>'action' = 'field_write'`,
    [stack.tenantId, AGENT.id],
  );
  const allowedIds = rows.filter((r) => r.outcome === "allow").map((r) => r.object_id);
  return { allowed: allowedIds.length, killed: rows.filter((r) => r.outcome === "killed").length, allowedIds };
}

/** The drill's report as a person reads it. */
export function formatRunawayReport(r: RunawayDrillReport): string[] {
  const routes = Object.entries(r.crmCalls.byRoute)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    `writes made by the runaway agent: ${r.writesMade}`,
    r.trip
      ? `tripped at write #${r.trippedAtWrite} (${r.allowedBeforeTrip} allowed before), ${r.trip.when}, by ${r.trip.who.id}: ${r.trip.reason}`
      : "the switch never tripped",
    `refused after the trip: ${r.killedAfterTrip}; reverted: ${r.restoredAfterTrip} of ${r.restoredAfterTrip + r.notRestoredAfterTrip} companies back to their prior value`,
    `agent writes sent after the trip: ${r.agentWritesSentAfterTrip}; queued agent writes cancelled by the switch: ${r.cancelledWrites}; decisions refused by the switch: ${r.preventedDecisions}`,
    r.rollbackPlanned === null
      ? `a rollback of the agent would cover the ${r.allowedBeforeTrip} writes before the trip`
      : `rollback (one request): ${r.rollbackPlanned} planned, ${r.rollbackRestored} of ${r.allowedBeforeTrip} restored`,
    `CRM calls: ${r.crmCalls.total} (${routes}); 429s: ${r.crmCalls.rateLimited}; ${r.seconds.toFixed(1)} s`,
    ...(r.containment ? formatContainment(r.containment) : ["containment: no report (the switch never tripped)"]),
  ];
}

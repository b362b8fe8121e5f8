import { randomUUID } from "node:crypto";
import { pino } from "pino";
import type { KillSwitchTrigger } from "../../../shared/index.js";
import type { ConsumeOutcome, GuardPort, GuardedOutcome, GuardedWrite, DecisionState } from "../enforce/index.js";
import type { CounterStore } from "../limits/index.js";
import type { CompiledPolicy, CounterKey } from "../policy/index.js";
import type { Logger } from "../observability/index.js";
import type { KillSwitchAlert } from "./create-alerter.js";
import type { TriggerCounter } from "./create-trigger-counter.js";
import { firstCrossing, isTriggerMetric } from "./trigger-metrics.js";
import { tripTrigger, type TriggerSubject } from "./trip-trigger.js";
import type { KillSwitchService } from "./types.js";

export interface EnforcementGuardOptions {
  killSwitches: KillSwitchService;
  counters: CounterStore;
  triggers: TriggerCounter;
  /** The tenant's compiled policy: its triggers and time zone. */
  policyOf: (tenantId: string) => CompiledPolicy;
  /** Raised when a trigger trips a switch. */
  alert?: (alert: KillSwitchAlert) => unknown;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** @defaultValue a silent logger */
  logger?: Logger;
}

type Subject = TriggerSubject;

/** Whose rate a trigger measures for this write; `undefined` for scopes a write cannot name. */
function subjectOf(scope: KillSwitchTrigger["scope"], w: { agentId: string; role: string }): Subject | undefined {
  switch (scope) {
    case "tenant":
      return { type: "tenant", value: null, key: "tenant" };
    case "agent":
      return { type: "agent", value: w.agentId, key: `agent:${w.agentId}` };
    case "role":
      return { type: "role", value: w.role, key: `role:${w.role}` };
    case "channel":
      // Field writes travel on the CRM channel.
      return { type: "channel", value: "crm", key: "channel:crm" };
    default:
      return undefined;
  }
}

/** Which post-decision metric a decided write adds to (see trigger-metrics.ts). */
function metricsOf(o: GuardedOutcome): string[] {
  const out: string[] = [];
  const outcome = o.decision.outcome;
  if (outcome === "killed") {
    if (o.decision.ruleId.startsWith("kill_switch:segment:")) out.push("writes_to_excluded_segments");
    return out;
  }
  if (o.refused && !o.viaShadow) out.push("reverts_per_minute");
  if (outcome === "deny" || outcome === "over_cap") out.push("denials_per_minute");
  if (!o.viaShadow && o.decision.tier === 3 && outcome !== "allow") out.push("approval_bypass_attempts");
  return out;
}

/**
 * The `GuardPort` enforcement decides through: kill switches from `killSwitches`, automatic
 * triggers from the policy's `kill_switch_triggers`, caps from `counters`.
 */
export function createEnforcementGuard(options: EnforcementGuardOptions): GuardPort {
  const { killSwitches, counters, triggers, policyOf } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? pino({ level: "silent" });

  /**
   * Counts events per (metric, subject) once, then trips every trigger the new rate crosses. Returns the trips with the
   * position of the event that crossed.
   */
  async function count(
    tenantId: string,
    metricTriggers: readonly KillSwitchTrigger[],
    events: readonly { metric: string; position: number; eventKey?: string; agentId: string; role: string }[],
    active: ReadonlySet<string>,
  ) {
    const groups = new Map<
      string,
      { metric: string; subject: Subject; positions: number[]; eventKeys: string[]; triggers: KillSwitchTrigger[] }
    >();
    for (const t of metricTriggers) {
      for (const e of events) {
        if (e.metric !== t.metric) continue;
        const subject = subjectOf(t.scope, e);
        if (!subject) continue;
        const id = `${t.metric}\u0000${subject.key}`;
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { metric: t.metric, subject, positions: [], eventKeys: [], triggers: [] }));
        if (!g.triggers.includes(t)) g.triggers.push(t);
        if (g.triggers[0] === t) {
          g.positions.push(e.position);
          g.eventKeys.push(e.eventKey ?? randomUUID());
        }
      }
    }
    const list = [...groups.values()];
    const at = now();
    const rates = await triggers.add(
      tenantId,
      list.map((g) => ({ metric: g.metric, subject: g.subject.key, n: g.positions.length, eventKeys: g.eventKeys })),
      at,
    );
    const trips: { position: number; key: string }[] = [];
    for (const [i, g] of list.entries()) {
      const rate = rates[i]!;
      // A retried batch's events were counted the first time: only the others can cross.
      const positions = g.positions.filter((_, j) => rate.counted?.[j] ?? true);
      for (const t of g.triggers) {
        const k = firstCrossing(rate.before, positions.length, t.above);
        if (k === undefined || active.has(g.subject.key) || trips.some((x) => x.key === g.subject.key)) continue;
        trips.push({ position: positions[k - 1]!, key: g.subject.key });
        await trip(tenantId, t, g.subject, rate.before + k, at);
      }
    }
    return trips;
  }

  const trip = (tenantId: string, t: KillSwitchTrigger, subject: Subject, measured: number, at: Date) =>
    tripTrigger({ killSwitches, alert: options.alert }, tenantId, t, subject, measured, at);

  return {
    async prepare(tenantId, policy, writes: readonly GuardedWrite[]) {
      const compiled = policyOf(tenantId);
      const base = await killSwitches.active(tenantId);
      const writeTriggers = compiled.manifest.kill_switch_triggers.filter(
        (t) => t.metric === "agent_writes_per_minute",
      );
      const trips = writeTriggers.length
        ? await count(
            tenantId,
            writeTriggers,
            writes.map((w) => ({
              metric: "agent_writes_per_minute",
              position: w.position,
              eventKey: w.eventKey,
              agentId: w.agentId,
              role: w.role,
            })),
            base.active,
          )
        : [];
      const keys = new Map<string, CounterKey>();
      for (const w of writes) for (const k of policy.counterKeys?.(w.input) ?? []) keys.set(k.key, k);
      const snapshot = await counters.snapshot(tenantId, [...keys.values()], {
        timeZone: compiled.timezone,
        at: now(),
      });
      const baseState: DecisionState = { counters: snapshot, switches: base };
      const states = new Map<number, DecisionState>();
      return {
        stateAt(position) {
          const tripped = trips.filter((t) => t.position <= position);
          if (tripped.length === 0) return baseState;
          let s = states.get(tripped.length);
          if (!s) {
            s = { counters: snapshot, switches: { active: new Set([...base.active, ...tripped.map((t) => t.key)]) } };
            states.set(tripped.length, s);
          }
          return s;
        },
      };
    },

    async consume(tenantId, items, eventKeys): Promise<ConsumeOutcome[]> {
      return counters.consumeMany(tenantId, items, { timeZone: policyOf(tenantId).timezone, at: now() }, eventKeys);
    },

    async settled(tenantId, outcomes) {
      try {
        const killedBy = new Map<string, number>();
        for (const o of outcomes) {
          if (o.decision.outcome !== "killed") continue;
          const key = o.decision.ruleId.replace(/^kill_switch:/, "");
          killedBy.set(key, (killedBy.get(key) ?? 0) + 1);
        }
        if (killedBy.size) await killSwitches.countPrevented(tenantId, killedBy);
        const postTriggers = policyOf(tenantId).manifest.kill_switch_triggers.filter(
          (t) => t.metric !== "agent_writes_per_minute" && isTriggerMetric(t.metric),
        );
        if (postTriggers.length === 0) return;
        const events = outcomes.flatMap((o, position) =>
          metricsOf(o).map((metric) => ({ metric, position, eventKey: o.eventKey, agentId: o.agentId, role: o.role })),
        );
        if (events.length) await count(tenantId, postTriggers, events, (await killSwitches.active(tenantId)).active);
      } catch (err) {
        logger.warn({ err: (err as Error).message, tenantId }, "kill switch triggers could not be evaluated");
      }
    },
  };
}

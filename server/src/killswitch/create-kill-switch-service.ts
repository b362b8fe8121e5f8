import type { Redis } from "ioredis";
import { pino } from "pino";
import type { KillSwitchState } from "../policy/index.js";
import { NO_KILL_SWITCHES } from "../policy/index.js";
import { createKillSwitchCache } from "./kill-switch-cache.js";
import { loadSql } from "./load-sql.js";
import { countCancelledWrites, countCoveredWrites } from "./count-covered-writes.js";
import { cancellingSwitch } from "./cancelling-switch.js";
import { fieldOf, normalizeScope, policyKeysOf, stateOf } from "./switch-keys.js";
import { toKillSwitch, type KillSwitchRecord } from "./to-kill-switch.js";
import { KillSwitchForbiddenError } from "./errors.js";
import { whyCannotChange } from "./why-cannot-change.js";
import type { KillSwitch, KillSwitchService, KillSwitchServiceOptions, Prevented } from "./types.js";

/**
 * Kill switches (requirements R7): PostgreSQL holds the truth and the history, Redis the fast
 * check every decision reads, and each process an in-memory copy for the write queue's
 * synchronous `cancel`. A change is committed with its audit event first; caches follow.
 *
 * @example
 * const killSwitches = createKillSwitchService({ db, redis, prefix, audit });
 * await killSwitches.start();
 * await killSwitches.set(tenantId, { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "runaway"
 * }, { type: "human", id: "ops@acme.test" });
 * decide(policy, input, counters, await killSwitches.active(tenantId)); // → killed
 */
export function createKillSwitchService(options: KillSwitchServiceOptions): KillSwitchService {
  const { db, redis, audit } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? pino({ level: "silent" });
  const cache = createKillSwitchCache(redis, options.prefix ?? "tollgate");
  const memory = new Map<string, KillSwitchState>();
  /** The switches behind `memory`: a cancelled write names the one that cancelled it. */
  const memorySwitches = new Map<string, readonly KillSwitch[]>();
  const listeners: ((tenantId: string) => void)[] = [];
  const switchedListeners: ((change: KillSwitch) => void)[] = [];
  let subscriber: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;

  const remember = (tenantId: string, switches: readonly KillSwitch[]) => {
    const state = stateOf(switches);
    if (state.active.size === 0) {
      memory.delete(tenantId);
      memorySwitches.delete(tenantId);
    } else {
      memory.set(tenantId, state);
      memorySwitches.set(tenantId, switches);
    }
    return state;
  };

  async function loadFromDb(tenantId: string): Promise<KillSwitch[]> {
    return (await db.query<KillSwitchRecord>(loadSql("select-active"), [tenantId])).rows.map(toKillSwitch);
  }

  /** PostgreSQL's generation, then its switches (in that order: see select-generation.sql). */
  async function loadWithGeneration(tenantId: string): Promise<{ generation: string; switches: KillSwitch[] }> {
    const row = (await db.query<{ generation: string }>(loadSql("select-generation"), [tenantId])).rows[0];
    return { generation: row?.generation ?? "0", switches: await loadFromDb(tenantId) };
  }

  /** Rebuilds the tenant's Redis cache from PostgreSQL (refused by Redis if a newer one is there). */
  async function repair(tenantId: string): Promise<KillSwitch[]> {
    const { generation, switches } = await loadWithGeneration(tenantId);
    await cache.rebuild(tenantId, generation, switches);
    return switches;
  }

  async function readActive(tenantId: string): Promise<KillSwitch[]> {
    const cached = await cache.read(tenantId);
    if (cached !== undefined) return cached;
    // Missing cache (first use, or Redis lost it): PostgreSQL is the truth.
    return repair(tenantId);
  }

  /**
   * Every sync repairs each tenant's Redis cache from PostgreSQL, so a cache write lost after a
   * commit (Redis briefly down, a process killed in between) heals within one interval.
   */
  async function syncAll(): Promise<void> {
    const tenants = (await db.query<{ tenant_id: string }>(loadSql("select-tenants"))).rows.map((r) => r.tenant_id);
    for (const t of [...memory.keys()]) if (!tenants.includes(t)) remember(t, []);
    for (const t of tenants) remember(t, await repair(t));
  }

  /** Tells every listener; one that throws is logged and stops none of the others. */
  const callEach = <T>(of: readonly ((arg: T) => void)[], arg: T, tenantId: string) => {
    for (const l of of) {
      try {
        l(arg);
      } catch (err) {
        logger.warn({ err: (err as Error).message, tenantId }, "kill switch listener failed");
      }
    }
  };
  const notify = (tenantId: string) => callEach(listeners, tenantId, tenantId);

  /** What a switch prevented: decisions (Redis) and the queued writes it cancelled (PostgreSQL). */
  const preventedBy = async (tenantId: string, s: KillSwitch): Promise<Prevented> => ({
    decisions: await cache.preventedDecisions(tenantId, fieldOf(s.scope.type, s.scope.value)),
    cancelledWrites: s.eventId ? await countCancelledWrites(db, tenantId, s.eventId) : 0,
  });

  const service: KillSwitchService = {
    async set(tenantId, request, actor) {
      const scope = normalizeScope(request.scope.type, request.scope.value);
      const field = fieldOf(scope.type, scope.value);
      const at = now();
      const who = { type: actor.type, id: actor.id, role: actor.role ?? null, via: actor.via ?? null };
      // Read before the transaction: Redis is not part of it, and the counts are best effort.
      const lifting =
        request.state === "off"
          ? (await loadFromDb(tenantId)).find((s) => s.scope.type === scope.type && s.scope.value === scope.value)
          : undefined;
      const prevented: Prevented | undefined = lifting
        ? await preventedBy(tenantId, lifting).catch(() => undefined)
        : undefined;
      // Queued agent writes the new switch cancels: the "in flight" it stopped.
      const inFlight =
        request.state === "on"
          ? await countCoveredWrites(db, tenantId, policyKeysOf(scope.type, scope.value), options.roleOf)
          : undefined;

      const result = await db.transaction(async (tx): Promise<KillSwitch | { refused: string }> => {
        await tx.query(loadSql("lock-scope"), [`kill_switch|${tenantId}|${field}`]);
        const current = (
          await tx.query<KillSwitchRecord>(loadSql("select-switch"), [tenantId, scope.type, scope.value ?? ""])
        ).rows[0];
        const before = current?.state === "on" ? "on" : "off";
        const refused = whyCannotChange(current ? toKillSwitch(current) : undefined, request, actor);
        if (refused !== undefined) {
          // A refused attempt to lift a switch is itself a governance event: recorded, then refused.
          await audit.append(
            {
              tenant_id: tenantId,
              occurred_at: at.toISOString(),
              actor: who,
              action: "kill_switch",
              field_diffs: [{ field: `kill_switch:${field}`, before, after: before }],
              diff_summary: `kill switch ${field}: refused ${before} → ${request.state}`,
              reason: request.reason,
              result: "failed",
              error: refused,
              risk_flags: ["kill_switch_lift_refused"],
              evidence: { scope, state: request.state, setBy: toKillSwitch(current!).who },
            },
            { tx },
          );
          return { refused };
        }
        if (before === request.state) {
          return current
            ? { ...toKillSwitch(current), changed: false }
            : {
                tenantId,
                scope,
                state: "off",
                reason: request.reason,
                who,
                when: at.toISOString(),
                eventId: null,
                changed: false,
              };
        }
        const event = await audit.append(
          {
            tenant_id: tenantId,
            occurred_at: at.toISOString(),
            actor: who,
            action: "kill_switch",
            field_diffs: [{ field: `kill_switch:${field}`, before, after: request.state }],
            diff_summary: `kill switch ${field}: ${before} → ${request.state}`,
            reason: request.reason,
            evidence: {
              scope,
              state: request.state,
              ...(inFlight !== undefined ? { queuedWritesToCancel: inFlight } : {}),
              ...(prevented ? { prevented } : {}),
            },
          },
          { tx },
        );
        const params = [
          tenantId,
          scope.type,
          scope.value ?? "",
          request.state,
          request.reason,
          who.type,
          who.id,
          who.role,
          at.toISOString(),
          event.event_id,
        ];
        await tx.query(loadSql("upsert-switch"), params);
        await tx.query(loadSql("bump-generation"), [tenantId]);
        await tx.query(loadSql("insert-history"), [...params, prevented ? JSON.stringify(prevented) : null]);
        return {
          tenantId,
          scope,
          state: request.state,
          reason: request.reason,
          who,
          when: at.toISOString(),
          eventId: event.event_id,
          changed: true,
          ...(prevented ? { prevented } : {}),
        };
      });
      if ("refused" in result) throw new KillSwitchForbiddenError(result.refused);
      if (!result.changed) {
        // "Unchanged" may be the retry of a change whose cache update was lost: refresh it anyway.
        remember(tenantId, await repair(tenantId));
        return result;
      }

      logger.warn(
        { tenantId, scope, state: request.state, reason: request.reason, who: who.id },
        request.state === "on" ? "kill switch on" : "kill switch off",
      );
      // Committed: from here on nothing may undo it. Redis follows; if it cannot now, the next
      // sync (or the retry, which finds it unchanged) repairs it from PostgreSQL.
      try {
        remember(tenantId, await repair(tenantId));
        await cache.resetPrevented(tenantId, field);
        // Lifting a switch starts its scope's automatic triggers afresh: the rate that tripped it
        // must not re-trip it on the first allowed write after an owner's resume.
        if (request.state === "off") await options.triggers?.reset(tenantId, field, at);
        await redis.publish(cache.channel, tenantId);
      } catch (err) {
        logger.error(
          { err: (err as Error).message, tenantId },
          "kill switch committed; its Redis cache will be repaired",
        );
      }
      notify(tenantId);
      callEach(switchedListeners, result, tenantId);
      return result;
    },

    async active(tenantId) {
      return remember(tenantId, await readActive(tenantId));
    },

    async list(tenantId) {
      const switches = await readActive(tenantId);
      remember(tenantId, switches);
      return Promise.all(switches.map(async (s) => ({ ...s, prevented: await preventedBy(tenantId, s) })));
    },

    async history(tenantId, limit = 100) {
      return (await db.query<KillSwitchRecord>(loadSql("select-history"), [tenantId, limit])).rows.map(toKillSwitch);
    },

    cancelWrite(row) {
      const state = memory.get(row.tenantId);
      if (state === undefined || row.agentId === null) return undefined;
      const key = cancellingSwitch(row, state, options.roleOf?.(row.tenantId, row.agentId));
      if (key === undefined) return undefined;
      const sw = memorySwitches
        .get(row.tenantId)
        ?.find((s) => s.eventId !== null && policyKeysOf(s.scope.type, s.scope.value).includes(key));
      if (!sw?.eventId) return undefined;
      return {
        causedBy: sw.eventId,
        key,
        reason: `kill switch ${fieldOf(sw.scope.type, sw.scope.value)} turned on by ${sw.who.id}: ${sw.reason}`,
      };
    },

    cached: (tenantId) => memory.get(tenantId) ?? NO_KILL_SWITCHES,

    async countPrevented(tenantId, byKey) {
      // Decisions name the policy key (`channel:email`); a switch may be stored under a group (`channel:all_outbound`).
      const switches = await readActive(tenantId);
      const byField = new Map<string, number>();
      for (const [key, n] of byKey) {
        const owner = switches.find((s) => stateOf([s]).active.has(key));
        if (owner)
          byField.set(
            fieldOf(owner.scope.type, owner.scope.value),
            (byField.get(fieldOf(owner.scope.type, owner.scope.value)) ?? 0) + n,
          );
      }
      await cache.countDecisions(tenantId, byField);
    },

    onChange(listener) {
      listeners.push(listener);
    },

    onSwitched(listener) {
      switchedListeners.push(listener);
    },

    async start() {
      await syncAll();
      subscriber = redis.duplicate();
      subscriber.on("error", (err) => logger.warn({ err: err.message }, "kill switch subscriber error"));
      subscriber.on("message", (_channel: string, tenantId: string) => {
        void service
          .active(tenantId)
          .then(() => notify(tenantId))
          .catch((err) => logger.warn({ err: (err as Error).message, tenantId }, "kill switch refresh failed"));
      });
      await subscriber.subscribe(cache.channel);
      timer = setInterval(
        () => void syncAll().catch((err) => logger.warn({ err: (err as Error).message }, "kill switch sync failed")),
        options.syncIntervalMs ?? 5_000,
      );
      timer.unref();
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (subscriber) {
        subscriber.disconnect();
        subscriber = undefined;
      }
    },
  };
  return service;
}

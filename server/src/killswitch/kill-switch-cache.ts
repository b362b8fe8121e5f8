import type { Redis } from "ioredis";
import { defineScript, runScript } from "../limits/index.js";
import type { KillSwitch } from "./types.js";
import { fieldOf } from "./switch-keys.js";

const BUILT = "__built";

/**
 * Writes a tenant's switches into its cache hash with the PostgreSQL generation they were read
 * at, unless Redis already holds a newer one: a stale rebuild must never overwrite a newer
 * state. An equal generation rewrites (the repair after a lost write). After a flush Redis holds
 * none, and any rebuild from PostgreSQL's truth is accepted.
 * KEYS: hash, generation. ARGV: generation read, then field/value pairs.
 */
const REBUILD = defineScript(`
local gen = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[1]) < gen then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${BUILT}', '1', unpack(ARGV, 2))
redis.call('SET', KEYS[2], ARGV[1])
return 1
`);

/**
 * The Redis side of kill switches (docs/architecture.md#storage-and-services): a hash of the active switches per tenant
 * (the
 * fast check), the PostgreSQL generation it was built from (which orders rebuilds), and what
 * each switch prevented. Everything here can be lost: PostgreSQL rebuilds the hash, and a missing hash is
 * told apart from "no switches" by its `__built` field.
 */
export function createKillSwitchCache(redis: Redis, prefix: string) {
  const hash = (t: string) => `${prefix}:ks:{${t}}`;
  const gen = (t: string) => `${prefix}:ks:{${t}}:gen`;
  const preventedKey = (t: string) => `${prefix}:ks:{${t}}:prevented`;

  return {
    channel: `${prefix}:ks:changed`,
    /** The cached active switches, or `undefined` when the cache is missing (never built, or flushed). */
    async read(tenantId: string): Promise<KillSwitch[] | undefined> {
      const all = await redis.hgetall(hash(tenantId));
      if (all[BUILT] === undefined) return undefined;
      return Object.entries(all)
        .filter(([k]) => k !== BUILT)
        .map(([, v]) => JSON.parse(v) as KillSwitch);
    },
    /** Stores `switches` as the tenant's cache unless Redis holds a newer generation than `generation`. */
    async rebuild(tenantId: string, generation: string, switches: readonly KillSwitch[]): Promise<boolean> {
      const pairs = switches.flatMap((s) => [fieldOf(s.scope.type, s.scope.value), JSON.stringify(s)]);
      return (await runScript(redis, REBUILD, [hash(tenantId), gen(tenantId)], [generation, ...pairs])) === 1;
    },
    async countDecisions(tenantId: string, byField: ReadonlyMap<string, number>): Promise<void> {
      if (byField.size === 0) return;
      const m = redis.multi();
      for (const [field, n] of byField) m.hincrby(preventedKey(tenantId), field, n);
      await m.exec();
    },
    /** Decisions the switch refused so far (its cancelled writes are counted in PostgreSQL). */
    async preventedDecisions(tenantId: string, field: string): Promise<number> {
      return Number((await redis.hget(preventedKey(tenantId), field)) ?? 0);
    },
    /** A switch turned on starts counting from zero; one turned off has been reported. */
    async resetPrevented(tenantId: string, field: string): Promise<void> {
      await redis.hdel(preventedKey(tenantId), field);
    },
  };
}

export type KillSwitchCache = ReturnType<typeof createKillSwitchCache>;

import type { Redis } from "ioredis";
import { defineScript, runScript } from "../limits/index.js";
import type { KillSwitch, Prevented } from "./types.js";
import { fieldOf } from "./switch-keys.js";

const BUILT = "__built";

/**
 * Writes a tenant's switches into its cache hash, unless a change happened since the caller
 * read PostgreSQL (the generation moved on): a stale rebuild must never overwrite a newer state.
 * KEYS: hash, generation. ARGV: generation read, then field/value pairs.
 */
const REBUILD = defineScript(`
local gen = redis.call('GET', KEYS[2]) or '0'
if gen ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${BUILT}', '1', unpack(ARGV, 2))
return 1
`);

/**
 * The Redis side of kill switches (docs/architecture.md#storage-and-services): a hash of the active switches per tenant (the
 * fast check), a generation counter that orders rebuilds after changes, and what each switch
 * prevented. Everything here can be lost: PostgreSQL rebuilds the hash, and a missing hash is
 * told apart from "no switches" by its `__built` field.
 */
export function createKillSwitchCache(redis: Redis, prefix: string) {
  const hash = (t: string) => `${prefix}:ks:{${t}}`;
  const gen = (t: string) => `${prefix}:ks:{${t}}:gen`;
  const preventedKey = (t: string) => `${prefix}:ks:{${t}}:prevented`;
  const heldKey = (t: string, field: string) => `${prefix}:ks:{${t}}:held:${field}`;

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
    async generation(tenantId: string): Promise<string> {
      return (await redis.get(gen(tenantId))) ?? "0";
    },
    /** Stores `switches` as the tenant's cache if no change came in after `generation` was read. */
    async rebuild(tenantId: string, generation: string, switches: readonly KillSwitch[]): Promise<boolean> {
      const pairs = switches.flatMap((s) => [fieldOf(s.scope.type, s.scope.value), JSON.stringify(s)]);
      return (await runScript(redis, REBUILD, [hash(tenantId), gen(tenantId)], [generation, ...pairs])) === 1;
    },
    /** After a change is committed: move the generation on and drop the hash, so the next read rebuilds. */
    async invalidate(tenantId: string): Promise<void> {
      await redis.multi().incr(gen(tenantId)).del(hash(tenantId)).exec();
    },
    async countDecisions(tenantId: string, byField: ReadonlyMap<string, number>): Promise<void> {
      if (byField.size === 0) return;
      const m = redis.multi();
      for (const [field, n] of byField) m.hincrby(preventedKey(tenantId), field, n);
      await m.exec();
    },
    async addHeld(tenantId: string, field: string, rowId: string): Promise<void> {
      await redis.sadd(heldKey(tenantId, field), rowId);
    },
    async prevented(tenantId: string, field: string): Promise<Prevented> {
      const [decisions, held] = await Promise.all([
        redis.hget(preventedKey(tenantId), field),
        redis.scard(heldKey(tenantId, field)),
      ]);
      return { decisions: Number(decisions ?? 0), heldWrites: held };
    },
    /** A switch turned on starts counting from zero; one turned off has been reported. */
    async resetPrevented(tenantId: string, field: string): Promise<void> {
      await redis.multi().hdel(preventedKey(tenantId), field).del(heldKey(tenantId, field)).exec();
    },
  };
}

export type KillSwitchCache = ReturnType<typeof createKillSwitchCache>;

import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export type RedisScript = (
  redis: Redis,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

/**
 * A Lua script sent by its SHA1 (`EVALSHA`), and in full only when Redis does not know it
 * (first use after a restart or `SCRIPT FLUSH`). `EVAL` would send and hash the whole source
 * on every webhook batch. Same idea as ioredis' `defineCommand`, without adding methods to
 * a connection the caller shares with others.
 *
 * @example
 * const seen = createRedisScript(`return redis.call("SMISMEMBER", KEYS[1], unpack(ARGV))`);
 * const flags = await seen(redis, [setKey], ids);
 */
export function createRedisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      // NOSCRIPT is the error code Redis puts first in its reply when the SHA is unknown.
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

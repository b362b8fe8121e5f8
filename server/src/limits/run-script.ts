import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script sent by its SHA-1 once Redis knows it; `source` the first time (or after a flush). */
export interface RedisScript {
  source: string;
  sha: string;
}

export function defineScript(source: string): RedisScript {
  return { source, sha: createHash("sha1").update(source, "utf8").digest("hex") };
}

/**
 * Runs `script` atomically: EVALSHA, falling back to EVAL when Redis answers NOSCRIPT (first
 * use, a restart, `SCRIPT FLUSH`). Redis runs a script alone, so check-then-write inside one
 * cannot interleave with another client.
 */
export async function runScript(
  redis: Redis,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}

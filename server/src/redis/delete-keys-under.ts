import type { Redis } from "ioredis";

/**
 * Deletes every key under `prefix:` (SCAN + UNLINK, a page at a time) and says how many.
 * For stacks and suites that share one Redis: each removes only its own namespace, never
 * FLUSHALL.
 */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}

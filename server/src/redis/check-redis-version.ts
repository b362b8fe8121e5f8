import { TollgateError } from "../errors/index.js";

/** The oldest Redis Tollgate runs on: BullMQ's recommended minimum (`RedisConnection.recommendedMinimumVersion`). */
export const MIN_REDIS_VERSION = "6.2.0";

/** Refused at start: the Redis server is older than {@link MIN_REDIS_VERSION}, or does not answer. */
export class RedisVersionError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("redis_unsupported", message, { httpStatus: 503, details });
  }
}

/** `redis_version` of an `INFO server` reply, or `undefined` when it names none. */
export function redisVersionOf(info: string): string | undefined {
  return /^redis_version:([0-9][0-9.]*)\s*$/m.exec(info)?.[1];
}

const parts = (v: string) => v.split(".").map((n) => Number.parseInt(n, 10) || 0);

/** Whether version `a` is older than `b` (dotted numbers, missing parts are 0). */
function olderThan(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/** Why this server cannot serve Tollgate (one line), or `undefined` when it can. */
export function whyRedisUnsupported(info: string): string | undefined {
  const version = redisVersionOf(info);
  if (version === undefined) return "Redis did not report its version (INFO server): Tollgate needs Redis ≥ 6.2";
  if (olderThan(version, MIN_REDIS_VERSION))
    return `Redis ${version} is too old: Tollgate needs Redis ≥ 6.2 (BullMQ's recommended minimum); upgrade it, or run \`docker compose up -d redis\``;
  return undefined;
}

/**
 * Asks the server its version and refuses one older than 6.2 (or one that does not answer
 * within `timeoutMs`) with a {@link RedisVersionError} whose message is one line.
 */
export async function checkRedisVersion(
  redis: { info(section: "server"): Promise<string> },
  timeoutMs = 10_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisVersionError(`Redis does not answer (INFO server, ${timeoutMs / 1000} s): is it running?`)),
      timeoutMs,
    );
  });
  try {
    const info = await Promise.race([redis.info("server"), timeout]);
    const why = whyRedisUnsupported(info);
    if (why) throw new RedisVersionError(why, { version: redisVersionOf(info) ?? null });
  } finally {
    clearTimeout(timer);
  }
}

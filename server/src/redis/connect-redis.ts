import { Redis } from "ioredis";

/**
 * Tollgate's Redis connection. BullMQ workers need `maxRetriesPerRequest: null`; each user
 * duplicates this one connection. Errors are logged, not thrown: ioredis reconnects.
 */
export function connectRedis(url: string, logger: { warn(obj: object, msg: string): void }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection error"));
  return redis;
}

export { deleteKeysUnder } from "./delete-keys-under.js";
export { connectRedis } from "./connect-redis.js";
export {
  checkRedisVersion,
  redisVersionOf,
  whyRedisUnsupported,
  MIN_REDIS_VERSION,
  RedisVersionError,
} from "./check-redis-version.js";
export { createChangeBroadcast } from "./create-change-broadcast.js";
export type { ChangeBroadcast, Refreshable } from "./create-change-broadcast.js";

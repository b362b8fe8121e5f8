export { deleteKeysUnder } from "./delete-keys-under.js";
export { connectRedis } from "./connect-redis.js";

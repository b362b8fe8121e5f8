import type { Redis } from "ioredis";
import type { Config } from "../config/index.js";
import type { Database } from "../db/index.js";
import type { Logger, Metrics } from "../observability/index.js";
import type { PolicyRegistry } from "../policy/index.js";
import type { Crms } from "./connect-crms.js";

/** What the first steps of the root built, and every later step is given. */
export interface BaseParts {
  config: Config;
  db: Database;
  redis: Redis;
  /** Namespaces Redis keys and BullMQ queues. */
  prefix: string;
  policies: PolicyRegistry;
  crms: Crms;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
}

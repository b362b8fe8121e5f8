import {
  killAndFlushRedisAfterAck,
  killMidBatch,
  postgresRestartedMidTransaction,
  redisDownDuringBurst,
} from "./crash-scenarios.js";
import {
  crmThrottledAndFailing,
  duplicatedAndReordered,
  twoProcesses,
  webhooksNeverDelivered,
} from "./delivery-scenarios.js";
import type { FaultFigures } from "./fault-stack.js";

/**
 * The fault scenarios, each run as the fault itself on real processes and stores. The fault
 * tests assert their figures; `npm run bench faults` prints them. One implementation for both.
 */
export * from "./crash-scenarios.js";
export * from "./delivery-scenarios.js";

/** Every scenario, in the order `npm run bench faults` prints them. */
export const FAULT_SCENARIOS: (() => Promise<FaultFigures>)[] = [
  () => killMidBatch(),
  () => killAndFlushRedisAfterAck(),
  () => redisDownDuringBurst(),
  () => postgresRestartedMidTransaction(),
  () => crmThrottledAndFailing(),
  () => webhooksNeverDelivered(),
  () => duplicatedAndReordered(),
  () => twoProcesses(),
];

export { createCounterStore } from "./create-counter-store.js";
export { windowPeriod } from "./window-period.js";
export type { WindowPeriod } from "./window-period.js";
export { defineScript, runScript } from "./run-script.js";
export type { RedisScript } from "./run-script.js";
export type { ConsumeResult, CounterStore, CounterStoreOptions, CounterWindowOptions } from "./types.js";

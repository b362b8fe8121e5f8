export { createSignalService } from "./create-signal-service.js";
export type { SignalReceipt, SignalReporter, SignalService, SignalServiceOptions } from "./create-signal-service.js";
export { measureSignalMetric, MIN_SENDS_FOR_RATE } from "./measure-signal-metric.js";
export type { SignalFilter } from "./measure-signal-metric.js";

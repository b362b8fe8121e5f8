export { createLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export { createMetrics } from "./metrics.js";
export type { Metrics } from "./metrics.js";
export { instrumentAudit, instrumentConnector } from "./instrument.js";
export { instrumentReceiver } from "./instrument-receiver.js";

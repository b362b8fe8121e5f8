export { computeGovernanceMetrics } from "./compute-governance-metrics.js";
export { registerGovernanceMetrics } from "./register-governance-metrics.js";
export type { GovernanceCollectorOptions } from "./register-governance-metrics.js";
export type { GovernanceMetrics, ProtectiveWrites } from "./types.js";

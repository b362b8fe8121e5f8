export { createSnapshotStore } from "./snapshot-store.js";
export type { SnapshotStore } from "./snapshot-store.js";
export { propertyKey } from "./types.js";
export type { ObservedValue, PropertyRef, LatestValue } from "./types.js";
export { takeBaseline } from "./take-baseline.js";
export type { BaselineResult } from "./take-baseline.js";
export { createTenantBaseline } from "./create-tenant-baseline.js";
export type { TenantBaseline } from "./create-tenant-baseline.js";

export { createSnapshotStore } from "./snapshot-store.js";
export type { SnapshotStore } from "./snapshot-store.js";
export { propertyKey } from "./types.js";
export type { ObservedValue, PropertyRef, LatestValue } from "./types.js";
export { takeBaseline } from "./take-baseline.js";
export type { BaselineResult } from "./take-baseline.js";

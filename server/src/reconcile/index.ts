export { createReconciler, combineReconcilers, historyChanges } from "./create-reconciler.js";
export type { Reconciler, ReconcilerOptions, GovernedObject } from "./create-reconciler.js";

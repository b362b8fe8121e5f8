export { createApprovalStore, toStoredApproval } from "./approval-store.js";
export type { ApprovalStore, StoredApproval } from "./approval-store.js";
export { createApprovalQueue } from "./approval-queue.js";
export type { ApprovalQueue, ApprovalJob } from "./approval-queue.js";

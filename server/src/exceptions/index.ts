export { createExceptionStore, REVIEW_SLA_MS, REMEDIATE_SLA_MS } from "./exception-store.js";
export type { ExceptionStore } from "./exception-store.js";
export type { ExceptionRow, ExceptionNote } from "./to-exception-row.js";
export { createExceptionQueue, exceptionTransitionSchema, exceptionAssignSchema } from "./create-exception-queue.js";
export type { ExceptionQueue, ExceptionQueueOptions, ExceptionFilter } from "./create-exception-queue.js";
export { EXCEPTION_STATES, EXCEPTION_TRANSITIONS, canTransition, slaStatus } from "./exception-transitions.js";
export type { ExceptionState } from "./exception-transitions.js";
export { createSetAsideRecorder } from "./create-set-aside-recorder.js";
export type { SetAsideReceipt } from "./create-set-aside-recorder.js";

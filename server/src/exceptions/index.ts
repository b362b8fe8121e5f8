export { createExceptionStore, REVIEW_SLA_MS, REMEDIATE_SLA_MS } from "./exception-store.js";
export type { ExceptionStore, ExceptionRow } from "./exception-store.js";

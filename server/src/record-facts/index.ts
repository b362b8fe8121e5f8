export { readRecordFacts, targetKey } from "./read-record-facts.js";
export type { FactTarget, ReadRecords } from "./read-record-facts.js";

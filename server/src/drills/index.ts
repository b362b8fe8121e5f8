export { runDrills, DRILLS } from "./run-drills.js";
export { renderHtml, renderMarkdown } from "./render-report.js";
export { drillPolicyYaml, DRILL_AGENTS } from "./drill-policy.js";
export { DRILL_CRMS, testContactFields } from "./drill-crm.js";
export type { DrillCrm, DrillTestRecord } from "./drill-crm.js";
export { DRILL_NAMES } from "./types.js";
export type {
  DrillContext,
  DrillEvidence,
  DrillIdentity,
  DrillName,
  DrillReport,
  DrillResponse,
  DrillResult,
  DrillStep,
} from "./types.js";

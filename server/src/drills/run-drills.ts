import { drillApprovalGate } from "./drill-approval-gate.js";
import { drillAuditReconstruction } from "./drill-audit-reconstruction.js";
import { drillKillSwitch } from "./drill-kill-switch.js";
import { drillPermissionDenial } from "./drill-permission-denial.js";
import { drillReplay } from "./drill-replay.js";
import {
  DRILL_NAMES,
  type DrillContext,
  type DrillName,
  type DrillReport,
  type DrillResult,
  type DrillStep,
} from "./types.js";

/** The five drills of requirements R12, in the order a buyer runs them. */
export const DRILLS: Record<DrillName, { title: string; run: (ctx: DrillContext) => Promise<DrillStep[]> }> = {
  "permission-denial": { title: "1. Permission denial", run: drillPermissionDenial },
  "approval-gate": { title: "2. Approval gate", run: drillApprovalGate },
  "audit-reconstruction": { title: "3. Audit reconstruction", run: drillAuditReconstruction },
  replay: { title: "4. Replay", run: drillReplay },
  "kill-switch": { title: "5. Kill switch", run: drillKillSwitch },
};

/** Runs the named drills (all five by default) one after another; a drill passes when every step does. */
export async function runDrills(
  ctx: DrillContext,
  options: {
    names?: readonly DrillName[];
    target: string;
    mode?: DrillReport["mode"];
    log?: (line: string) => void;
  },
): Promise<DrillReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const drills: DrillResult[] = [];
  for (const name of options.names ?? DRILL_NAMES) {
    const d = DRILLS[name];
    const started = performance.now();
    let steps: DrillStep[] = [];
    let error: string | undefined;
    try {
      steps = await d.run(ctx);
    } catch (err) {
      error = (err as Error).message;
    }
    const passed = error === undefined && steps.length > 0 && steps.every((s) => s.passed);
    drills.push({
      name,
      title: d.title,
      passed,
      ms: Math.round(performance.now() - started),
      steps,
      ...(error ? { error } : {}),
    });
    options.log?.(`${passed ? "PASS" : "FAIL"} ${d.title} (${Math.round(performance.now() - started)} ms)`);
  }
  return {
    target: options.target,
    mode: options.mode ?? "sandbox",
    notes: [],
    startedAt: startedAt.toISOString(),
    ms: Math.round(performance.now() - t0),
    passed: drills.every((d) => d.passed),
    drills,
  };
}

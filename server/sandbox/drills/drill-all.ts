import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { startDrillStack } from "../demo/start-drill-stack.js";
import {
  DRILL_NAMES,
  renderHtml,
  renderMarkdown,
  runDrills,
  type DrillName,
  type DrillReport,
} from "../../src/drills/index.js";
import { startLiveDrillStack } from "./live-drill-stack.js";

export interface DrillRunOptions {
  out: string;
  /** Against the configured CRM instead of the local sandbox. */
  live?: boolean;
  /** `--live` against HubSpot: refused unless this names the configured portal. */
  confirmPortal?: string;
  /** `--live` against Salesforce: refused unless this names the configured org. */
  confirmOrg?: string;
}

/**
 * Runs the named drills against the local sandbox, or with `live` against the configured CRM
 * (dry and reversible: live-drill-stack.ts), and writes the report (HTML + Markdown). The report
 * fails when a drill fails or the live test record could not be removed.
 */
export async function runDrillCommand(
  names: readonly DrillName[],
  o: DrillRunOptions,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = () => undefined,
): Promise<DrillReport> {
  const started = o.live
    ? await startLiveDrillStack(env, { portal: o.confirmPortal, org: o.confirmOrg })
    : await (async () => {
        const s = await startDrillStack({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
        return {
          ctx: s.ctx,
          target: "local HubSpot sandbox",
          close: async () => (await s.close(), { notes: [], clean: true }),
        };
      })();
  let ran: DrillReport;
  let closed: { notes: string[]; clean: boolean };
  try {
    ran = await runDrills(started.ctx, { names, target: started.target, mode: o.live ? "live" : "sandbox", log });
  } finally {
    closed = await started.close();
  }
  const report = { ...ran, notes: closed.notes, passed: ran.passed && closed.clean };
  await mkdir(o.out, { recursive: true });
  await writeFile(join(o.out, "drill-report.md"), renderMarkdown(report));
  await writeFile(join(o.out, "drill-report.html"), renderHtml(report));
  return report;
}

/**
 * `tollgate drill all` and each drill alone (`tollgate drill permission-denial` …): R12's five
 * drills against the local HubSpot sandbox and a real Tollgate, or `--live` against the configured
 * HubSpot portal or Salesforce org, writing a report a buyer can read (HTML with a Markdown
 * twin). Exit code 0 only when every drill passes.
 */
export function registerDrillRunCommands(drill: Command, env: NodeJS.ProcessEnv = process.env): void {
  const run = async (names: readonly DrillName[], o: DrillRunOptions) => {
    const report = await runDrillCommand(names, o, env, (line) => console.log(`· ${line}`));
    for (const note of report.notes) console.log(`· ${note}`);
    console.log(
      `${report.passed ? "PASS" : "FAIL"} (${report.mode}): ${report.drills.filter((d) => d.passed).length}/${report.drills.length} drills in ${(report.ms / 1000).toFixed(1)} s`,
    );
    console.log(`report: ${join(o.out, "drill-report.html")} (and drill-report.md)`);
    if (!report.passed) process.exitCode = 1;
  };
  const options = (c: Command) =>
    c
      .option("--out <dir>", "where the report goes", "drill-report")
      .option("--live", "against the configured CRM: one test contact, created and removed at the end")
      .option("--confirm-portal <id>", "with --live: drill the configured HubSpot portal; its id, to say you mean it")
      .option("--confirm-org <id>", "with --live: drill the configured Salesforce org; its id, to say you mean it");
  options(drill.command("all").description("run the five buyer drills and write the report (HTML + Markdown)")).action(
    (o: DrillRunOptions) => run(DRILL_NAMES, o),
  );
  for (const name of DRILL_NAMES.filter((n) => n !== "kill-switch")) {
    options(drill.command(name).description(`run the ${name} drill alone and write its report`)).action(
      (o: DrillRunOptions) => run([name], o),
    );
  }
}

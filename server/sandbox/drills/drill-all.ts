import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { startDrillStack } from "../demo/start-drill-stack.js";
import { DRILL_NAMES, renderHtml, renderMarkdown, runDrills, type DrillName } from "../../src/drills/index.js";

/**
 * `tollgate drill all` and each drill alone (`tollgate drill permission-denial` …): R12's five
 * drills against the local HubSpot sandbox and a real Tollgate, writing a report a buyer can read
 * (HTML with a Markdown twin). Exit code 0 only when every drill passes.
 */
export function registerDrillRunCommands(drill: Command, env: NodeJS.ProcessEnv = process.env): void {
  const run = async (names: readonly DrillName[], o: { out: string; live?: boolean }) => {
    if (o.live) throw new Error("--live is not available yet: run the drills against the local sandbox");
    const started = await startDrillStack({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
    try {
      const report = await runDrills(started.ctx, {
        names,
        target: "local HubSpot sandbox",
        log: (line) => console.log(`· ${line}`),
      });
      await mkdir(o.out, { recursive: true });
      await writeFile(join(o.out, "drill-report.md"), renderMarkdown(report));
      await writeFile(join(o.out, "drill-report.html"), renderHtml(report));
      console.log(
        `${report.passed ? "PASS" : "FAIL"}: ${report.drills.filter((d) => d.passed).length}/${report.drills.length} drills in ${(report.ms / 1000).toFixed(1)} s`,
      );
      console.log(`report: ${join(o.out, "drill-report.html")} (and drill-report.md)`);
      if (!report.passed) process.exitCode = 1;
    } finally {
      await started.close();
    }
  };
  drill
    .command("all")
    .description("run the five buyer drills and write the report (HTML + Markdown)")
    .option("--out <dir>", "where the report goes", "drill-report")
    .option("--live", "against the configured CRM, dry and reversible (not available yet)")
    .action((o: { out: string; live?: boolean }) => run(DRILL_NAMES, o));
  for (const name of DRILL_NAMES.filter((n) => n !== "kill-switch")) {
    drill
      .command(name)
      .description(`run the ${name} drill alone and write its report`)
      .option("--out <dir>", "where the report goes", "drill-report")
      .option("--live", "against the configured CRM, dry and reversible (not available yet)")
      .action((o: { out: string; live?: boolean }) => run([name], o));
  }
}

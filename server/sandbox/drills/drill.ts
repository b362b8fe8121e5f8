import type { Command } from "commander";
import { registerDrillRunCommands } from "./drill-all.js";
import { formatRunawayReport, runRunawayDrill } from "./drill-runaway.js";

/**
 * `tollgate drill kill-switch` (R12 drill 5): starts the HubSpot sandbox and Tollgate in-process,
 * lets a runaway agent loose, and prints what the automatic kill switch did. Uses DATABASE_URL
 * (a throwaway schema) or an in-memory database, and REDIS_URL (a throwaway key prefix).
 */
export function registerDrillCommand(program: Command, env: NodeJS.ProcessEnv = process.env): void {
  const drill = program
    .command("drill")
    .description("run a buyer's drill in the local sandbox, or with --live against the configured CRM");
  registerDrillRunCommands(drill, env);
  drill
    .command("kill-switch")
    .description("start a runaway agent, let the automatic trigger trip, show nothing is left after")
    .option("--writes <n>", "writes the runaway agent makes", "1000")
    .option("--threshold <n>", "agent_writes_per_minute above which the agent is stopped", "30")
    .option("--no-rollback", "do not roll back the writes made before the trip")
    .action(async (o: { writes: string; threshold: string; rollback: boolean }) => {
      const writes = Number(o.writes);
      const threshold = Number(o.threshold);
      if (!Number.isInteger(writes) || writes < 1 || writes > 100_000)
        throw new Error("--writes: expected a whole number from 1 to 100000");
      if (!Number.isFinite(threshold) || threshold < 0) throw new Error("--threshold: expected a number of 0 or more");
      const report = await runRunawayDrill({
        writes,
        threshold,
        rollback: o.rollback,
        databaseUrl: env.DATABASE_URL,
        redisUrl: env.REDIS_URL,
        log: (line) => console.log(`· ${line}`),
      });
      console.log("\nkill-switch drill report");
      for (const line of formatRunawayReport(report)) console.log(`  ${line}`);
      const ok =
        report.trip !== undefined &&
        report.notRestoredAfterTrip === 0 &&
        report.agentWritesSentAfterTrip === 0 &&
        report.containment?.status === "contained";
      console.log(ok ? "  PASS: the runaway was contained" : "  FAIL: the runaway was not contained");
      if (!ok) process.exitCode = 1;
    });
}

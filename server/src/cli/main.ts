import { Command, CommanderError } from "commander";
import { TollgateError } from "../errors/index.js";
import { PolicyValidationError } from "../policy/index.js";
import { registerAuditCommands } from "./commands/audit.js";
import { registerBaselineCommand } from "./commands/baseline.js";
import { registerInstallCommands } from "./commands/install.js";
import { registerPolicyCommands } from "./commands/policy.js";
import { registerRollbackCommands } from "./commands/rollback.js";
import { registerQaCommands } from "./commands/qa.js";
import { registerExceptionCommands } from "./commands/exceptions.js";
import { registerKillCommands } from "./commands/kill.js";
import { registerSetupCommands } from "./commands/setup.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerReplayCommands } from "./commands/replay.js";
import { registerGoldenCommands } from "./commands/golden.js";
import { createCliServices, type CliServices } from "./services.js";

/** `tollgate …`: the operator's command line (commander). */
let services: Promise<CliServices> | undefined;
const getServices = () => (services ??= createCliServices());

const program = new Command("tollgate")
  .description("Tollgate: policy, approvals, reverts and audit for AI sales agents")
  .exitOverride();
registerPolicyCommands(program);
registerAuditCommands(program, getServices);
registerInstallCommands(program, getServices);
registerBaselineCommand(program);
registerSetupCommands(program);
const withRuntime = async () => {
  const s = await getServices();
  return {
    defaultTenant: s.defaultTenant,
    operator: s.operator,
    rollback: s.runtime.services.rollback,
    qa: s.runtime.services.qa,
    exceptions: s.runtime.services.exceptionQueue,
  };
};
registerRollbackCommands(program, withRuntime);
registerQaCommands(program, withRuntime);
registerExceptionCommands(program, withRuntime);
registerKillCommands(program, getServices);
registerMcpCommand(program);
registerReplayCommands(program, getServices);
registerGoldenCommands(program, getServices);
// `tollgate drill …` is sent by server/bin/tollgate.js to server/sandbox/drills: the drills start a
// local sandbox, which production code never loads.
program.addHelpText(
  "after",
  "\nDrills (in the local sandbox): tollgate drill all [--out dir] · tollgate drill <permission-denial|approval-gate|audit-reconstruction|replay> · tollgate drill kill-switch [--writes n] [--threshold n]" +
    "\nAgainst the configured CRM, dry and reversible (one test contact, removed at the end): tollgate drill all --live --confirm-portal <HubSpot portal id> | --confirm-org <Salesforce org id>",
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof PolicyValidationError) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    console.error(`tollgate: ${err instanceof TollgateError ? err.message : (err as Error).message}`);
    process.exitCode = 1;
  }
} finally {
  // A runtime that failed to build has already said why above; there is nothing to close.
  if (services)
    await services.then(
      (s) => s.close(),
      () => undefined,
    );
}

import { Command, CommanderError } from "commander";
import { registerDrillCommand } from "./drill.js";

/**
 * `tollgate drill …`: the buyer's drills, run against the local sandbox. They live beside the
 * sandbox, not in server/src, so the production CLI never loads a sandbox; `server/bin/tollgate.js`
 * sends `tollgate drill …` here. Add a drill with `registerDrillCommand`'s subcommands.
 */
const program = new Command("tollgate").description("Tollgate's drills in the local sandbox").exitOverride();
registerDrillCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode;
  else {
    console.error(`tollgate drill: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

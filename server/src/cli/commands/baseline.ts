import type { Command } from "commander";
import { loadConfig } from "../../config/index.js";
import { createLogger } from "../../observability/index.js";
import { createTollgate } from "../../runtime/index.js";

/** `tollgate baseline hubspot`: records current governed values so reverts need no history reads. */
export function registerBaselineCommand(program: Command): void {
  program
    .command("baseline")
    .argument("<crm>", "hubspot")
    .description("record the current value of every governed field as the trusted baseline (one call per 100 records)")
    .action(async (crm: string) => {
      if (crm !== "hubspot") throw new Error(`baseline ${crm}: only hubspot is supported`);
      const config = loadConfig(process.env);
      if (config.hubspot.mode !== "private_app")
        throw new Error("HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID: required for `tollgate baseline hubspot`");
      const tollgate = await createTollgate(config, { workers: false, logger: createLogger({ level: "warn" }) });
      try {
        for (const r of await tollgate.baseline(config.hubspot.portalId!))
          console.log(`${r.objectType}: ${r.records} records, ${r.values} values, ${r.calls} calls`);
      } finally {
        await tollgate.stop();
      }
    });
}

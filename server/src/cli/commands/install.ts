import type { Command } from "commander";
import { createHubSpotConnector } from "../../crm/hubspot/index.js";
import { formatProvisioningPlan, getProvisioningPlan, provision } from "../../install/index.js";
import { listGovernedFields, loadPolicyFile } from "../../policy/index.js";
import { loadConfig } from "../../config/index.js";

/** `tollgate install hubspot [--dry-run]`: provisions the Tollgate properties in a portal. */
export function registerInstallCommands(program: Command): void {
  program
    .command("install")
    .argument("<crm>", "hubspot")
    .option("--dry-run", "print what would be created; change nothing", false)
    .option("--policy <file>", "policy YAML", process.env.TOLLGATE_POLICY ?? "manifests/policy.yaml")
    .description("create the Tollgate property group, provenance and shadow properties (idempotent)")
    .action(async (crm: string, o: { dryRun: boolean; policy: string }) => {
      if (crm !== "hubspot") throw new Error(`install ${crm}: only hubspot is supported by this command`);
      const config = loadConfig(process.env);
      if (config.hubspot.mode !== "private_app") {
        throw new Error("HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID: required for `tollgate install hubspot` (OAuth installs provision on install)");
      }
      const connector = createHubSpotConnector({ accessToken: config.hubspot.accessToken!, portalId: config.hubspot.portalId!, baseUrl: config.hubspot.apiBaseUrl });
      const fields = listGovernedFields(await loadPolicyFile(o.policy));
      const plan = await getProvisioningPlan(connector, fields);
      console.log(formatProvisioningPlan(plan));
      if (o.dryRun) return;
      const result = await provision(connector, plan);
      console.log(`created ${result.created.length}, already there ${result.existing.length}, problems ${result.problems.length}`);
      for (const p of result.problems) console.log(`problem: ${JSON.stringify(p)}`);
      if (result.problems.length) process.exitCode = 1;
    });
}

import type { Command } from "commander";
import { createHubSpotConnector } from "../../crm/hubspot/index.js";
import {
  formatProvisioningPlan,
  formatSalesforceInstallPlan,
  getProvisioningPlan,
  provision,
} from "../../install/index.js";
import { createLogger } from "../../observability/index.js";
import { createSalesforceTenancy, salesforceConfigured } from "../../tenancy/index.js";
import { listGovernedFields, loadPolicyFile } from "../../policy/index.js";
import { loadConfig } from "../../config/index.js";
import type { CliServices } from "../services.js";

/** `tollgate install hubspot [--dry-run]` and `tollgate uninstall hubspot --portal <id>`. */
export function registerInstallCommands(program: Command, services: () => Promise<CliServices>): void {
  program
    .command("uninstall")
    .argument("<crm>", "hubspot")
    .requiredOption("--portal <id>", "the HubSpot portal to uninstall")
    .description(
      "mark an OAuth installation uninstalled and wipe its stored tokens (records, approvals and audit are kept)",
    )
    .action(async (crm: string, o: { portal: string }) => {
      if (crm !== "hubspot") throw new Error(`uninstall ${crm}: only hubspot is supported`);
      const s = await services();
      await s.runtime.services.hubspot.uninstall(o.portal);
      await s.runtime.services.audit.append({
        tenant_id: o.portal,
        actor: s.operator,
        action: "uninstall",
        crm: "hubspot",
        reason: "tokens wiped by the operator",
      });
      console.log(`portal ${o.portal}: uninstalled, tokens wiped`);
    });

  program
    .command("install")
    .argument("<crm>", "hubspot or salesforce")
    .option("--dry-run", "print what would be created; change nothing", false)
    .option("--policy <file>", "policy YAML", process.env.TOLLGATE_POLICY ?? "manifests/policy.yaml")
    .description(
      "HubSpot: the Tollgate property group, provenance and shadow properties; Salesforce: custom fields, field access (permission set) and Change Data Capture (idempotent)",
    )
    .action(async (crm: string, o: { dryRun: boolean; policy: string }) => {
      if (crm === "salesforce") return installSalesforce(o);
      if (crm !== "hubspot") throw new Error(`install ${crm}: hubspot or salesforce`);
      const config = loadConfig(process.env);
      if (config.hubspot.mode !== "private_app") {
        throw new Error(
          "HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID: required for `tollgate install hubspot` (OAuth installs provision on install)",
        );
      }
      const connector = createHubSpotConnector({
        accessToken: config.hubspot.accessToken!,
        portalId: config.hubspot.portalId!,
        baseUrl: config.hubspot.apiBaseUrl,
      });
      const fields = listGovernedFields(await loadPolicyFile(o.policy));
      const plan = await getProvisioningPlan(connector, fields);
      console.log(formatProvisioningPlan(plan));
      if (o.dryRun) return;
      const result = await provision(connector, plan);
      console.log(
        `created ${result.created.length}, already there ${result.existing.length}, problems ${result.problems.length}`,
      );
      for (const p of result.problems) console.log(`problem: ${JSON.stringify(p)}`);
      if (result.problems.length) process.exitCode = 1;
    });
}

/** `tollgate install salesforce [--dry-run]`: the org named by `SALESFORCE_*`, under the policy given. */
async function installSalesforce(o: { dryRun: boolean; policy: string }): Promise<void> {
  const config = loadConfig(process.env);
  if (!salesforceConfigured(config))
    throw new Error(
      "SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN (or SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, SALESFORCE_JWT_KEY): required for `tollgate install salesforce`",
    );
  const tenancy = await createSalesforceTenancy({ config, logger: createLogger({ level: "warn" }) });
  const fields = listGovernedFields(await loadPolicyFile(o.policy));
  const plan = await tenancy.provision(fields, { dryRun: o.dryRun });
  console.log(`org ${tenancy.orgId}${o.dryRun ? " (dry run: nothing changed)" : ""}`);
  console.log(formatSalesforceInstallPlan(plan));
  if (plan.problems.length) process.exitCode = 1;
}

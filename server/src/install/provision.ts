import type { CrmConnector } from "../crm/index.js";
import { ValidationError } from "../errors/index.js";
import { listProvisionedObjects, planProvisioning } from "./plan-provisioning.js";
import type {
  GovernedField,
  ProvisionedItem,
  ProvisioningPlan,
  ProvisioningProblem,
  ProvisioningResult,
} from "./types.js";

/**
 * Reads the CRM's property definitions of every object provisioning touches and plans
 * against them (for `tollgate install hubspot --dry-run`, or before {@link provision}).
 */
export async function getProvisioningPlan(
  connector: CrmConnector,
  governedFields: readonly GovernedField[],
): Promise<ProvisioningPlan> {
  assertHubSpot(connector);
  const existing: Record<string, Awaited<ReturnType<CrmConnector["listProperties"]>>> = {};
  for (const { objectType } of listProvisionedObjects(governedFields)) {
    existing[objectType] = await connector.listProperties(objectType);
  }
  return planProvisioning({ governedFields, existing });
}

/**
 * Carries out a plan: ensures each group, then creates the missing properties. Never
 * updates or deletes a property (docs/contracts.md#fields-the-app-installs). Just before creating, it lists the
 * object's
 * properties again and skips what appeared since the plan was made, so a stale plan or a
 * concurrent install is harmless. One object failing does not stop the others: its failure
 * is a `create_failed` problem.
 */
export async function provision(connector: CrmConnector, plan: ProvisioningPlan): Promise<ProvisioningResult> {
  assertHubSpot(connector);
  const created: ProvisionedItem[] = [];
  const existing: ProvisionedItem[] = [];
  const problems: ProvisioningProblem[] = [...plan.problems];

  for (const obj of plan.objects) {
    const { objectType } = obj;
    try {
      const groupCreated = await connector.ensurePropertyGroup(objectType, obj.group);
      (groupCreated ? created : existing).push({ kind: "group", objectType, name: obj.group.name });

      const wanted = obj.properties.filter((p) => p.action === "create");
      const present = wanted.length
        ? new Set((await connector.listProperties(objectType)).map((p) => p.name))
        : new Set<string>();
      const toCreate = wanted.filter((p) => !present.has(p.definition.name));
      if (toCreate.length)
        await connector.createProperties(
          objectType,
          toCreate.map((p) => p.definition),
        );

      for (const p of obj.properties) {
        const item = { kind: p.kind, objectType, name: p.definition.name };
        (toCreate.includes(p) ? created : existing).push(item);
      }
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      problems.push({
        kind: "create_failed",
        objectType,
        message: `Provisioning ${objectType} failed${typeof code === "string" ? ` (${code})` : ""}: ${(err as Error).message}`,
      });
    }
  }
  return { created, existing, problems };
}

/**
 * Plans and provisions in one go: what `npm start` runs in private-app mode before accepting
 * webhooks, and what an OAuth install runs once the tokens are stored.
 */
export async function provisionGovernedFields(
  connector: CrmConnector,
  governedFields: readonly GovernedField[],
): Promise<{ plan: ProvisioningPlan; result: ProvisioningResult }> {
  const plan = await getProvisioningPlan(connector, governedFields);
  return { plan, result: await provision(connector, plan) };
}

function assertHubSpot(connector: CrmConnector): void {
  // Salesforce fields ship in the DX package (crm-app/), not through this API.
  if (connector.crm !== "hubspot")
    throw new ValidationError(`Property provisioning is for HubSpot; got a ${connector.crm} connector.`);
}

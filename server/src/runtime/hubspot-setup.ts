import type { Logger } from "pino";
import { createSetupRunner, planWebhookSubscriptions, type SetupRunner } from "../install/index.js";
import { listGovernedFields, type PolicyRegistry } from "../policy/index.js";
import type { SetupObjectProgress } from "../install/index.js";
import type { HubSpotTenancy } from "./hubspot-tenancy.js";

/**
 * HubSpot setup in the background (docs/operations.md#install-and-setup): provisioning and the
 * baseline after install and at start, and again after every policy change — the returned
 * registry's `replace` starts a run for a HubSpot tenant and notes the webhook subscriptions the
 * new policy needs beyond the old one's.
 */
export function createHubSpotSetup(options: {
  hubspot: HubSpotTenancy;
  policies: PolicyRegistry;
  isHubSpot: (tenantId: string) => boolean;
  baseline: (tenantId: string, onObject: (done: SetupObjectProgress) => void) => Promise<unknown>;
  logger: Logger;
}): { setup: SetupRunner; policies: PolicyRegistry } {
  const { hubspot, policies, logger } = options;
  const setup = createSetupRunner({
    provision: async (tenantId) => {
      const result = await hubspot.provision(tenantId, listGovernedFields(policies.current(tenantId).compiled));
      return { created: result.created.length };
    },
    baseline: async (tenantId, onObject) => {
      await options.baseline(tenantId, onObject);
    },
    onError: (tenantId, err) => logger.error({ tenantId, err }, "hubspot setup failed"),
  });
  const subscriptionKeys = (tenantId: string) =>
    new Set(
      planWebhookSubscriptions(listGovernedFields(policies.current(tenantId).compiled)).map(
        (s) => `${s.objectType}.${s.propertyName ?? s.subscriptionType}`,
      ),
    );
  const reprovisioning: PolicyRegistry = {
    ...policies,
    async replace(tenantId, yaml, actor) {
      const before = subscriptionKeys(tenantId);
      const replaced = await policies.replace(tenantId, yaml, actor);
      if (options.isHubSpot(tenantId)) {
        const subscriptionsToUpload = [...subscriptionKeys(tenantId)].filter((k) => !before.has(k));
        setup.run(tenantId, "policy_change", { subscriptionsToUpload });
      }
      return replaced;
    },
  };
  return { setup, policies: reprovisioning };
}

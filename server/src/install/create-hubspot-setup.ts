import type { Logger } from "pino";
import { listGovernedFields, type PolicyRegistry } from "../policy/index.js";
import { createSetupRunner, type SetupObjectProgress, type SetupRunner } from "./create-setup-runner.js";
import { planWebhookSubscriptions } from "./plan-webhook-subscriptions.js";
import type { GovernedField, Installation, ProvisioningResult } from "./types.js";

export interface HubSpotSetup {
  setup: SetupRunner;
  /** The registry whose `replace` also starts a setup run for a HubSpot tenant. */
  policies: PolicyRegistry;
  /** After an OAuth install: provision now, baseline in the background. */
  onInstalled(installation: Installation): Promise<void>;
  /** Private-app mode at start: provision before a single webhook, baseline on the first start only. */
  atStart(tenantId: string): Promise<void>;
}

/**
 * HubSpot setup in the background (docs/operations.md#install-and-setup): provisioning and the
 * baseline after install and at start, and again after every policy change — the returned
 * registry's `replace` starts a run for a HubSpot tenant and notes the webhook subscriptions the
 * new policy needs beyond the old one's.
 */
export function createHubSpotSetup(options: {
  hubspot: { provision(tenantId: string, fields: readonly GovernedField[]): Promise<ProvisioningResult> };
  policies: PolicyRegistry;
  isHubSpot: (tenantId: string) => boolean;
  baseline: (tenantId: string, onObject: (done: SetupObjectProgress) => void) => Promise<unknown>;
  /** Whether any value of the tenant was ever recorded (then this start is a restart). */
  hasRecordedValues: (tenantId: string) => Promise<boolean>;
  logger: Logger;
}): HubSpotSetup {
  const { hubspot, policies, logger } = options;
  const provision = (tenantId: string) =>
    hubspot.provision(tenantId, listGovernedFields(policies.current(tenantId).compiled));
  const setup = createSetupRunner({
    provision: async (tenantId) => ({ created: (await provision(tenantId)).created.length }),
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
  return {
    setup,
    policies: reprovisioning,
    async onInstalled(installation) {
      await provision(installation.tenantId);
      // The baseline follows in the background: reverts need no history read from day one.
      setup.run(installation.tenantId, "install", { skipProvision: true });
    },
    async atStart(tenantId) {
      const result = await provision(tenantId);
      logger.info(
        { tenantId, created: result.created.length, problems: result.problems.length },
        "hubspot provisioned",
      );
      // Baseline in the background only on the first start (the install): on a restart, events
      // still queued could make it record an agent's unreverted write as the trusted value.
      if (!(await options.hasRecordedValues(tenantId))) setup.run(tenantId, "start", { skipProvision: true });
    },
  };
}

import type { Config } from "../config/index.js";
import { createPropertyLookup, type CrmRateBudget, type PropertyLookup } from "../crm/index.js";
import type { Database } from "../db/index.js";
import { allocationExhaustedAlert, createAlerter } from "../killswitch/index.js";
import { instrumentConnector, type Logger, type Metrics } from "../observability/index.js";
import {
  createCrmRouting,
  createHubSpotTenancy,
  createSalesforceTenancy,
  salesforceConfigured,
  type CrmRouting,
  type HubSpotTenancy,
  type SalesforceTenancy,
} from "../tenancy/index.js";

export interface Crms extends CrmRouting {
  hubspot: HubSpotTenancy;
  salesforce: SalesforceTenancy | undefined;
  /** Property definitions (labels, sensitivity), cached: one read per tenant and object type for 5 minutes. */
  properties: PropertyLookup;
}

/** The HubSpot portals and, when the environment names one, the Salesforce org; connector calls are metered. */
export async function connectCrms(
  config: Config,
  db: Database,
  logger: Logger,
  metrics: Metrics,
  budget?: CrmRateBudget,
): Promise<Crms> {
  const hubspot = await createHubSpotTenancy({ config, db, logger, metrics, ...(budget ? { budget } : {}) });
  // A spent daily allocation pauses writes (they wait in the queue) and is told to the alert webhook.
  const alert = createAlerter({ logger, webhookUrl: config.alertWebhookUrl });
  const onAllocationExhausted = (info: Parameters<typeof allocationExhaustedAlert>[0]) =>
    void alert(allocationExhaustedAlert(info, new Date()));
  const salesforce = salesforceConfigured(config)
    ? await createSalesforceTenancy({ config, logger, onAllocationExhausted })
    : undefined;
  const metered = salesforce && {
    orgId: salesforce.orgId,
    connector: instrumentConnector(salesforce.connector, metrics),
  };
  const routing = createCrmRouting(hubspot, metered);
  return { hubspot, salesforce, ...routing, properties: createPropertyLookup({ connectorFor: routing.connectorFor }) };
}

import { createSalesforceIngestion, recordLostPosition } from "../cdc/index.js";
import { enforceChanges } from "../enforce/index.js";
import { createSetAsideRecorder } from "../exceptions/index.js";
import { createHubSpotSetup } from "../install/index.js";
import { failingWorkAlert } from "../killswitch/index.js";
import { instrumentReceiver } from "../observability/index.js";
import { listGovernedObjects } from "../policy/index.js";
import { combineReconcilers, createReconciler } from "../reconcile/index.js";
import { createTenantBaseline } from "../snapshots/index.js";
import { createWebhookIngestion, createWebhookReceiver, type ReceiptStore } from "../webhooks/index.js";
import type { Governance } from "./assemble-governance.js";
import type { BaseParts } from "./parts.js";

/**
 * How changes arrive: HubSpot webhooks (receipts in PostgreSQL before the 200, so losing Redis
 * after it loses nothing), Salesforce CDC and callouts, reconciliation sweeps for what no webhook
 * brought, and setup (provisioning and the baseline).
 */
export function assembleIngestion(p: BaseParts & { governance: Governance; receipts: ReceiptStore }) {
  const { config, db, redis, prefix, policies, crms, governance: g, metrics, logger, now } = p;
  const { enforcement } = g;
  const { receipts } = p;
  const retry = { baseDelayMs: config.reliability.retryBaseMs, maxDelayMs: config.reliability.retryMaxMs };
  const receiver = instrumentReceiver(createWebhookReceiver({ redis, prefix, logger, receipts, retry }), metrics);
  const webhooks = createWebhookIngestion({
    redis,
    prefix,
    logger,
    receipts,
    retry,
    enforcement,
    sweepIntervalMs: config.reliability.sweepIntervalMs,
    onSetAside: createSetAsideRecorder({ exceptions: g.exceptions, db, metrics, logger }),
    // Infrastructure errors never drop a batch: it retries without limit, and is alerted while it fails.
    onFailing: (f) => g.alert(failingWorkAlert("webhook_batch", { ...f, ids: [f.jobId] }, now())),
    lockDurationMs: config.reliability.jobLockMs,
  });
  const salesforce =
    crms.salesforce &&
    createSalesforceIngestion({
      tenancy: crms.salesforce,
      db,
      enforcement,
      policies,
      logger,
      webhookSecret: config.salesforce.webhookSecret,
      onPositionLost: recordLostPosition({ audit: g.audit, alert: g.alert, now }),
      reconcileIntervalS: config.reliability.reconcileIntervalS,
    });
  const baseline = createTenantBaseline({
    connectorFor: crms.connectorFor,
    governed: (tenantId) => listGovernedObjects(policies.current(tenantId).compiled, crms.crmOf(tenantId)),
    snapshots: g.snapshots,
    now,
  });
  const hubspotSetup = createHubSpotSetup({
    hubspot: crms.hubspot,
    policies,
    isHubSpot: (tenantId) => crms.crmOf(tenantId) === "hubspot",
    baseline,
    hasRecordedValues: (tenantId) => g.snapshots.hasAnyValue(tenantId),
    logger,
  });
  // Nothing undelivered escapes: HubSpot tenants (and the Salesforce org) are swept for changes no event brought.
  const configuredPortals = config.hubspot.portalId ? [config.hubspot.portalId] : [];
  const hubspotReconciler = createReconciler({
    db,
    crm: "hubspot",
    tenants: async () => [...new Set([...configuredPortals, ...(await receipts.tenants("hubspot"))])],
    connectorFor: (tenantId) => crms.hubspot.connectorFor(tenantId),
    governed: (tenantId) => listGovernedObjects(policies.current(tenantId).compiled, "hubspot"),
    enforce: (tenantId, changes) => enforceChanges(enforcement, tenantId, changes),
    intervalS: config.reliability.reconcileIntervalS,
    now,
    logger,
  });
  const reconciler = combineReconcilers(hubspotReconciler, salesforce?.reconciler);
  return { receiver, webhooks, salesforce, baseline, hubspotSetup, reconciler };
}

export type Ingestion = ReturnType<typeof assembleIngestion>;

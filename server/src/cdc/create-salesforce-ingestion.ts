import express, { type Router } from "express";
import { SALESFORCE_OBJECTS, toPolicyObject, type PolicyObject } from "../../../shared/index.js";
import { PROVENANCE_FIELDS } from "../../../shared/index.js";
import { salesforceWebhookBodySchema } from "../../../shared/index.js";
import { createCdcIngestor, type CdcIngestor, type LostPosition } from "./create-cdc-ingestor.js";
import { readReconcileChanges } from "./read-reconcile-changes.js";
import { createReplayPositionStore } from "./replay-positions.js";
import { toCrmChanges, type ReconcileRequest } from "./to-crm-changes.js";
import type { Database } from "../db/index.js";
import { enforceChanges, type CrmChange, type EnforcementDeps } from "../enforce/index.js";
import { NotFoundError, TollgateError, ValidationError } from "../errors/index.js";
import { SALESFORCE_BASE_OBJECTS } from "../install/index.js";
import type { Logger } from "../observability/index.js";
import { listGovernedFields, type PolicyRegistry } from "../policy/index.js";
import { createReconciler, type Reconciler } from "../reconcile/index.js";
import { verifyTollgateSignature } from "../webhooks/index.js";
import type { SalesforceConnector } from "../crm/salesforce/index.js";

export interface SalesforceIngestion {
  cdc: CdcIngestor;
  /** Every `TOLLGATE_RECONCILE_INTERVAL_S`: SOQL on `LastModifiedDate`, then field history. */
  reconciler: Reconciler;
  /** `POST /webhooks/salesforce`, when `SALESFORCE_WEBHOOK_SECRET` is set. */
  router: Router | undefined;
}

/**
 * How the org's changes reach enforcement: the CDC subscriber (the main path) and the signed
 * callout endpoint, both through `toCrmChanges` and the same `enforceChanges` as HubSpot's
 * webhooks; gaps read back with `readReconcileChanges`.
 */
export function createSalesforceIngestion(options: {
  /** The org: its id and connector. */
  tenancy: { orgId: string; connector: SalesforceConnector };
  db: Database;
  enforcement: EnforcementDeps;
  policies: PolicyRegistry;
  logger: Logger;
  webhookSecret: string | undefined;
  /** A saved replay id past retention: audited and alerted (`recordLostPosition`). */
  onPositionLost?: ((lost: LostPosition) => Promise<void>) | undefined;
  /** `TOLLGATE_RECONCILE_INTERVAL_S`; 0 = no periodic sweep. */
  reconcileIntervalS: number;
  now?: () => number;
}): SalesforceIngestion {
  const { tenancy, enforcement, policies, logger } = options;
  const now = options.now ?? Date.now;
  const governed = (tenantId: string) => listGovernedFields(policies.current(tenantId).compiled);
  const objectTypes = (tenantId: string) => [
    ...new Set([
      ...SALESFORCE_BASE_OBJECTS,
      ...governed(tenantId).flatMap((f) => SALESFORCE_OBJECTS[f.object as PolicyObject] ?? []),
    ]),
  ];
  const fieldsOf = (tenantId: string, objectType: string) => [
    ...new Set([
      ...governed(tenantId)
        .filter((f) => SALESFORCE_OBJECTS[f.object as PolicyObject] === objectType)
        .flatMap((f) => [f.field, ...(f.shadow ? [f.shadow.salesforce] : [])]),
      ...Object.values(PROVENANCE_FIELDS).map((p) => p.salesforce),
    ]),
  ];
  const enforce = async (tenantId: string, changes: CrmChange[]) => {
    const summary = await enforceChanges(enforcement, tenantId, changes);
    logger.debug({ tenantId, ...summary }, "salesforce changes enforced");
    return summary;
  };
  const reconcile = async (tenantId: string, request: ReconcileRequest) => {
    const changes = await readReconcileChanges(
      tenancy.connector,
      tenantId,
      request,
      fieldsOf(tenantId, request.objectType),
    );
    logger.info({ tenantId, ...request, changes: changes.length }, "salesforce reconciliation read");
    if (changes.length > 0) await enforce(tenantId, changes);
  };

  // What CDC never delivered (a lost event, a subscriber down past retention) is swept for, with
  // the same fields the gap reads take and the same keys, so a change seen twice is enforced once.
  const reconciler = createReconciler({
    db: options.db,
    crm: "salesforce",
    tenants: async () => [tenancy.orgId],
    connectorFor: async () => tenancy.connector,
    governed: (tenantId) =>
      objectTypes(tenantId).map((objectType) => ({
        objectType,
        policyObject: toPolicyObject("salesforce", objectType),
        properties: fieldsOf(tenantId, objectType),
      })),
    enforce,
    intervalS: options.reconcileIntervalS,
    now: () => new Date(now()),
    logger,
  });

  const cdc = createCdcIngestor({
    tenantId: tenancy.orgId,
    connector: tenancy.connector,
    positions: createReplayPositionStore(options.db),
    enforce: (tenantId, changes) => enforce(tenantId, changes).then(() => undefined),
    reconcile,
    objectTypes: () => objectTypes(tenancy.orgId),
    onPositionLost: options.onPositionLost,
    logger,
  });

  let router: Router | undefined;
  const secret = options.webhookSecret;
  if (secret) {
    router = express.Router();
    router.post("/webhooks/salesforce", express.raw({ type: () => true, limit: "5mb" }), async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyTollgateSignature({
        header: req.header("x-tollgate-signature"),
        signedString: (t) => Buffer.concat([Buffer.from(`${t}.`), raw]),
        secret,
        now: now(),
      });
      if (!check.ok)
        throw new TollgateError(
          "webhook_signature_invalid",
          `Salesforce callout signature check failed: ${check.reason}`,
          {
            httpStatus: 401,
            details: { reason: check.reason },
          },
        );
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new ValidationError("the body is not JSON");
      }
      const parsed = salesforceWebhookBodySchema.safeParse(json);
      if (!parsed.success) throw new ValidationError("not a batch of change events", parsed.error.issues.slice(0, 10));
      const orgId = parsed.data.orgId;
      if (orgId.slice(0, 15) !== tenancy.orgId.slice(0, 15)) throw new NotFoundError(`org ${orgId} is not installed`);
      const changes: CrmChange[] = [];
      const reconciles: ReconcileRequest[] = [];
      for (const event of parsed.data.events) {
        const out = toCrmChanges(tenancy.orgId, event);
        changes.push(...out.changes);
        if (out.reconcile) reconciles.push(out.reconcile);
      }
      const summary = changes.length > 0 ? await enforce(tenancy.orgId, changes) : undefined;
      for (const r of reconciles) await reconcile(tenancy.orgId, r);
      const duplicates = summary?.skippedDuplicates ?? 0;
      res.json({ accepted: changes.length - duplicates, duplicates });
    });
  }
  return { cdc, reconciler, router };
}

import type { Config } from "../config/index.js";
import { createCrmRateBudget } from "../crm/index.js";
import { createLogger, createMetrics, instrumentAudit } from "../observability/index.js";
import { createPolicyRegistry } from "../policy/index.js";
import { createReceiptStore } from "../webhooks/index.js";
import { assembleAgentTokens } from "./assemble-agent-tokens.js";
import { assembleGate } from "./assemble-gate.js";
import { assembleGovernance } from "./assemble-governance.js";
import { assembleHttp } from "./assemble-http.js";
import { assembleIngestion } from "./assemble-ingestion.js";
import { connectCrms } from "./connect-crms.js";
import { createLifecycle } from "./lifecycle.js";
import { auditJobsFor, openStorage } from "./open-storage.js";
import type { BaseParts } from "./parts.js";
import type { Tollgate, TollgateOptions } from "./types.js";

/**
 * The composition root (docs/architecture.md#the-composition-root): builds every capability from
 * the configuration and wires them, top to bottom in dependency order. Nothing here decides
 * anything; it only connects the pieces.
 */
export async function createTollgate(config: Config, options: TollgateOptions = {}): Promise<Tollgate> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const now = options.now ?? (() => new Date());
  const prefix = options.prefix ?? "tollgate";

  const storage = await openStorage(config, logger, now, options.db);
  const { db, redis, auditLog } = storage;
  // Every decision is audited, so the audit log is where decisions are counted for /metrics:
  // each path appends through its own labelled view of the one log.
  const audit = instrumentAudit(auditLog, metrics, "other");
  const policies = await createPolicyRegistry({ db, audit, path: config.policyPath, now });
  const retentionDaysOf = (tenantId: string) => policies.current(tenantId).compiled.manifest.audit?.retention_days;
  storage.auditJobs = auditJobsFor(config, storage, retentionDaysOf, logger, now);
  // History reads and reconciliation searches of every process share one budget per tenant.
  const crms = await connectCrms(config, db, logger, metrics, createCrmRateBudget({ redis, prefix }));
  const parts: BaseParts = { config, db, redis, prefix, policies, crms, metrics, logger, now };
  const governance = await assembleGovernance({ ...parts, audit, auditLog });
  const agentTokens = assembleAgentTokens({ ...parts, governance });
  // Webhook receipts: written by the intake, read for the backlog and by containment.
  const receipts = createReceiptStore(db);
  const gate = assembleGate({ ...parts, auditLog, governance, agentTokens, receipts });
  const ingestion = assembleIngestion({ ...parts, governance, receipts });
  const app = assembleHttp({ ...parts, governance, gate, ingestion, agentTokens });
  const lifecycle = createLifecycle({
    config,
    logger,
    storage,
    prefix,
    ownsDatabase: !options.db,
    workers: options.workers ?? true,
    provisionSalesforce: options.provisionSalesforce ?? true,
    crms,
    governance,
    gate,
    ingestion,
    app,
  });

  return {
    config,
    logger,
    ...lifecycle,
    baseline: (tenantId) => ingestion.baseline(tenantId),
    backlog: async (tenantId) => {
      // Receipts, not Redis jobs: a batch counts from its 200 until its enforcement commits.
      const webhookJobs = await receipts.unprocessed(tenantId);
      const stats = await governance.writes.stats(tenantId);
      return { webhookJobs, pendingWrites: stats.pending + stats.in_flight };
    },
    services: {
      audit,
      auditJobs: storage.auditJobs,
      policies,
      killSwitches: governance.killSwitches,
      approvals: governance.approvals,
      exceptions: governance.exceptions,
      exceptionQueue: governance.exceptionQueue,
      rollback: governance.rollback,
      qa: governance.qa,
      replay: gate.replay,
      golden: governance.golden,
      safeModes: governance.safeModes,
      mcp: gate.mcp,
      containment: gate.containment,
      setup: ingestion.hubspotSetup.setup,
      hubspot: crms.hubspot,
      salesforce: crms.salesforce,
    },
    internals: {
      db,
      redis,
      metrics,
      writes: governance.writes,
      approvalQueue: governance.approvalQueue,
      reconciler: ingestion.reconciler,
      connectorFor: crms.connectorFor,
      salesforceCdc: ingestion.salesforce?.cdc,
      actionGate: gate.actionGate,
    },
  };
}

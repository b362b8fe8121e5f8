import { Redis } from "ioredis";
import type { Server } from "node:http";
import { join } from "node:path";
import type { Router } from "express";
import type { Config } from "../config/index.js";
import { createDatabase, grantRuntimeRole, migrate, type Database } from "../db/index.js";
import { createAuditLog, createCheckpointSchedule, deriveCheckpointKey, type AuditLog } from "../audit/index.js";
import {
  approverGroupOf,
  createPolicyRegistry,
  listGovernedFields,
  whyNotApprover,
  type PolicyRegistry,
} from "../policy/index.js";
import { createSnapshotStore, takeBaseline, type BaselineResult } from "../snapshots/index.js";
import { toCrmObjectType } from "../../../shared/index.js";
import { createReconciler, type GovernedObject, type Reconciler } from "../reconcile/index.js";
import {
  createApprovalQueue,
  createApprovalService,
  createApprovalStore,
  type ApprovalQueue,
  type ApprovalStore,
} from "../approvals/index.js";
import {
  createExceptionQueue,
  createExceptionStore,
  type ExceptionQueue,
  type ExceptionStore,
} from "../exceptions/index.js";
import { createRollbackService } from "../rollback/index.js";
import {
  createAlerter,
  createEnforcementGuard,
  createKillSwitchService,
  createTriggerCounter,
  type KillSwitchService,
} from "../killswitch/index.js";
import { createCounterStore } from "../limits/index.js";
import {
  createKillSwitchRouter,
  createActionRouter,
  createRollbackRouter,
  createQaRouter,
  createExceptionRouter,
  createGovernanceRouter,
  createHttpApp,
  createApiKeyAuthenticator,
  createAuditRouter,
  createPolicyRouter,
  createSetupRouter,
  createApprovalRouter,
  createProvenanceRouter,
  createMcpRouter,
  createReplayRouter,
  createSignalRouter,
  createPermitRouter,
  createCrmUserLookup,
  toRefusalEvent,
} from "../http/index.js";
import { createActionGate, createPermitVerifier, derivePermitSecret, type ActionGate } from "../actions/index.js";
import { createMcpService, type McpService } from "../mcp/index.js";
import { NotFoundError } from "../errors/index.js";
import { createQaSampler, withQaSampling, type QaSampler } from "../qa/index.js";
import { createReplayService, type ReplayService } from "../replay/index.js";
import { createSignalService, type SignalService } from "../signals/index.js";
import { registerGovernanceMetrics } from "../metrics/index.js";
import { createConflictGuard, createPolicyPort, enforceChanges, type EnforcementDeps } from "../enforce/index.js";
import { createCrmWriteQueue, type CrmWriteQueue } from "../writes/index.js";
import { Queue } from "bullmq";
import {
  createHubSpotWebhookRouter,
  createReceiptStore,
  createReceiptSweeper,
  createWebhookReceiver,
  createWebhookWorkers,
  tenantQueueName,
  type ReceiptStore,
  type ReceiptSweeper,
  type WebhookReceiver,
  type WebhookWorkers,
} from "../webhooks/index.js";
import {
  createLogger,
  createMetrics,
  instrumentAudit,
  instrumentConnector,
  type Logger,
  type Metrics,
} from "../observability/index.js";
import { createHubSpotTenancy, type HubSpotTenancy } from "./hubspot-tenancy.js";
import { createSalesforceTenancy, salesforceConfigured, type SalesforceTenancy } from "./salesforce-tenancy.js";
import { createSalesforceIngestion, type SalesforceIngestion } from "./salesforce-ingestion.js";
import type { CrmConnector } from "../crm/index.js";
import type { CrmName } from "../../../shared/index.js";
import { toCrmChange } from "./to-crm-change.js";
import { createHubSpotSetup } from "./hubspot-setup.js";
import type { SetupObjectProgress, SetupRunner } from "../install/index.js";

export interface TollgateOptions {
  logger?: Logger;
  /** Namespaces Redis keys and BullMQ queues. @defaultValue "tollgate" */
  prefix?: string;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Use this database instead of the one the config names (tests). */
  db?: Database;
  /** Start the webhook and write workers with `start()`. @defaultValue true */
  workers?: boolean;
}

export interface Tollgate {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  redis: Redis;
  audit: AuditLog;
  policies: PolicyRegistry;
  approvals: ApprovalStore;
  approvalQueue: ApprovalQueue;
  exceptions: ExceptionStore;
  exceptionQueue: ExceptionQueue;
  killSwitches: KillSwitchService;
  rollback: ReturnType<typeof createRollbackService>;
  qa: QaSampler;
  replay: ReplayService;
  signals: SignalService;
  writes: CrmWriteQueue;
  receiver: WebhookReceiver;
  receipts: ReceiptStore;
  /** Reconciliation sweeps (`TOLLGATE_RECONCILE_INTERVAL_S`); `sweep()` runs one now. */
  reconciler: Reconciler;
  hubspot: HubSpotTenancy;
  /** The Salesforce org, when the environment names one. */
  salesforce: SalesforceTenancy | undefined;
  /** Change Data Capture of the Salesforce org (started with the workers). */
  salesforceIngestion: SalesforceIngestion | undefined;
  /** The tenant's connector, whichever CRM it is. */
  connectorFor(tenantId: string): Promise<CrmConnector>;
  /** Which CRM a tenant is. */
  crmOf(tenantId: string): CrmName;
  enforcement: EnforcementDeps;
  /** The pre-write gate (`POST /v1/actions`). */
  actionGate: ActionGate;
  /** The governed MCP server (`/mcp`, `tollgate mcp`). */
  mcp: McpService;
  app: ReturnType<typeof createHttpApp>;
  /**
   * Records the current values of every governed field as a trusted baseline (one list call per
   * 100 records), so later reverts of those fields need no history read.
   */
  baseline(tenantId: string): Promise<BaselineResult[]>;
  /** Provisioning and the baseline in the background, with progress (docs/operations.md#install-and-setup). */
  setup: SetupRunner;
  /** Work not yet done for a tenant: webhook jobs waiting or running, CRM writes not yet sent. */
  backlog(tenantId: string): Promise<{ webhookJobs: number; pendingWrites: number }>;
  /** Provisions (private-app mode), starts workers, then listens. */
  start(): Promise<Server>;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every capability from the configuration and wires them.
 * Nothing here decides anything; it only connects the pieces.
 */
export async function createTollgate(config: Config, options: TollgateOptions = {}): Promise<Tollgate> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const now = options.now ?? (() => new Date());
  const prefix = options.prefix ?? "tollgate";

  // With DATABASE_MIGRATION_URL the schema's owner migrates, and the server runs as a role that
  // can only append to the audit (docs/operations.md, security).
  if (config.databaseMigrationUrl && config.databaseUrl && !options.db) {
    const owner = await createDatabase({ url: config.databaseMigrationUrl, poolSize: 1 });
    try {
      await migrate(owner);
      await grantRuntimeRole(owner, decodeURIComponent(new URL(config.databaseUrl).username));
    } finally {
      await owner.close();
    }
  }
  const db = options.db ?? (await createDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "pglite") }));
  if (!config.databaseMigrationUrl || options.db) await migrate(db);
  // BullMQ workers need maxRetriesPerRequest: null; one connection is duplicated by each user.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection error"));

  const checkpointKey = config.encryptionKey ? deriveCheckpointKey(config.encryptionKey.toString("hex")) : undefined;
  // Every decision is audited, so the audit log is where decisions are counted for /metrics:
  // each path appends through its own labelled view of the one log.
  const auditLog = await createAuditLog(db, checkpointKey ? { signingSeed: checkpointKey.seed, now } : { now });
  const audit = instrumentAudit(auditLog, metrics, "other");
  // Signed checkpoints on a schedule, also written as files to ship off the database host.
  const checkpoints =
    checkpointKey && config.audit.checkpointIntervalS > 0
      ? createCheckpointSchedule({
          audit: auditLog,
          db,
          dir: config.audit.checkpointDir,
          intervalMs: config.audit.checkpointIntervalS * 1000,
          logger,
        })
      : undefined;
  const policies = await createPolicyRegistry({ db, audit, path: config.policyPath, now });
  const snapshots = createSnapshotStore(db);
  const approvals = createApprovalStore(db);
  const approvalQueue = createApprovalQueue({ connection: redis, prefix, store: approvals, now });
  const exceptions = createExceptionStore(db, { now });
  const hubspot = await createHubSpotTenancy({ config, db, logger, metrics });
  const salesforce = salesforceConfigured(config) ? await createSalesforceTenancy({ config, logger }) : undefined;
  const salesforceConnector = salesforce ? instrumentConnector(salesforce.connector, metrics) : undefined;
  const crmOf = (tenantId: string): CrmName => (salesforce && tenantId === salesforce.orgId ? "salesforce" : "hubspot");
  const connectorFor = async (tenantId: string): Promise<CrmConnector> =>
    crmOf(tenantId) === "salesforce" ? salesforceConnector! : hubspot.connectorFor(tenantId);

  const roleOf = (tenantId: string, agentId: string) => policies.current(tenantId).compiled.agents.get(agentId)?.role;
  const triggers = createTriggerCounter({ redis, prefix });
  const killSwitches = createKillSwitchService({ db, redis, prefix, audit, now, roleOf, logger, triggers });
  const writes = await createCrmWriteQueue({
    db,
    redis,
    prefix,
    audit,
    // Protective writes retry until they are this old; every tenant with work is re-driven each sweep.
    retry: {
      baseDelayMs: config.reliability.retryBaseMs,
      maxDelayMs: config.reliability.retryMaxMs,
      protectiveMaxAgeMs: config.reliability.protectiveWriteMaxAgeMs,
    },
    sweepIntervalMs: config.reliability.sweepIntervalMs,
    logger,
    connectorFor,
    guard: createConflictGuard(snapshots),
    // An agent's own writes wait while a switch covers it; protective writes never do (docs/contracts.md#rules-that-never-bend).
    hold: (row) => killSwitches.holdWrite(row),
    // Whoever planned a write learns how it ended: approvals (applied / conflict / failed), rollback progress.
    onSettled: async (rows) => {
      await approvalService.onWritesSettled(rows);
      await rollback.onWritesSettled(rows);
    },
  });
  killSwitches.onChange((tenantId) => void writes.kick([tenantId]).catch(() => undefined));
  // One counter store for both paths: caps span webhooks and the pre-write gate.
  const counters = createCounterStore({ redis, prefix, now });
  const enforcementGuard = createEnforcementGuard({
    killSwitches,
    counters,
    triggers,
    policyOf: (tenantId) => policies.current(tenantId).compiled,
    alert: (a) => alert(a),
    now,
    logger,
  });
  // Delivery signals from the sending system: bounce and complaint triggers, suppression, metrics.
  const signals = createSignalService({
    db,
    audit,
    killSwitches,
    policyOf: (tenantId) => policies.current(tenantId).compiled,
    alert: (a) => alert(a),
    now,
  });
  const rollback = createRollbackService({
    db,
    audit,
    writes,
    snapshots,
    now,
    readHistory: async (tenantId, objectType, ids, props) =>
      (await connectorFor(tenantId)).readRecords(objectType, ids, props, { withHistory: true }),
  });
  const qa = createQaSampler({
    db,
    audit,
    now,
    policyFor: (tenantId) => policies.current(tenantId).compiled.manifest.qa,
  });
  const exceptionQueue = createExceptionQueue({ db, audit, now });
  registerGovernanceMetrics(metrics.registry, { db, now });

  const enforcement: EnforcementDeps = {
    db,
    // QA items are sampled from each batch's events in the same transaction.
    audit: withQaSampling(instrumentAudit(auditLog, metrics, "webhook"), qa),
    snapshots,
    writes,
    approvals: {
      create: (a, o) => approvals.create(a, o),
      scheduled: (tenantId, ids) => approvalQueue.schedule(tenantId, ids),
    },
    exceptions,
    policyFor: (tenantId) => createPolicyPort(policies.current(tenantId).compiled),
    // Kill switches, caps and automatic triggers, applied to each batch.
    guard: enforcementGuard,
    readRecords: async (tenantId, objectType, ids, properties, withHistory) =>
      (await connectorFor(tenantId)).readRecords(objectType, ids, properties, { withHistory }),
    self: {
      hubspotAppId: config.hubspot.appId,
      salesforceClient: config.salesforce.clientName,
      salesforceUserId: salesforce?.integrationUserId ?? config.salesforce.integrationUserId,
    },
    now,
  };

  const salesforceIngestion = salesforce
    ? createSalesforceIngestion({
        tenancy: salesforce,
        db,
        enforcement,
        policies,
        logger,
        webhookSecret: config.salesforce.webhookSecret,
      })
    : undefined;

  // Receipts: every batch is in PostgreSQL before the 200, so losing Redis after it loses nothing.
  const receipts = createReceiptStore(db);
  const retry = { baseDelayMs: config.reliability.retryBaseMs, maxDelayMs: config.reliability.retryMaxMs };
  const alert = createAlerter({ logger, webhookUrl: config.alertWebhookUrl });
  const baseReceiver = createWebhookReceiver({ redis, prefix, logger, receipts, retry });
  const receiver: WebhookReceiver = {
    async receive(changes) {
      const result = await baseReceiver.receive(changes);
      metrics.webhookEvents.inc({ result: "accepted" }, result.accepted);
      metrics.webhookEvents.inc({ result: "duplicate" }, result.duplicates);
      return result;
    },
    close: () => baseReceiver.close(),
  };
  // Input that can never succeed is set aside visibly: an exception for a person, a metric, a log line.
  const onReceiptSetAside = async (aside: { tenantId: string; receiptId: string; issue: string }) => {
    metrics.webhookEvents.inc({ result: "set_aside" });
    logger.error(aside, "webhook receipt set aside: it can never be processed");
    await exceptions.open(
      [
        {
          tenantId: aside.tenantId,
          kind: "webhook_set_aside",
          ruleId: null,
          agentId: null,
          crm: "hubspot",
          objectType: null,
          objectId: null,
          field: null,
          eventId: null,
          summary: `webhook receipt ${aside.receiptId} set aside: ${aside.issue}`,
        },
      ],
      { tx: db },
    );
  };
  // Every governed field's current value, so reverts need no history read.
  const baselineTenant = async (tenantId: string, onObject?: (done: SetupObjectProgress) => void) => {
    const connector = await connectorFor(tenantId);
    const byObject = new Map<string, string[]>();
    for (const f of listGovernedFields(policies.current(tenantId).compiled)) {
      const objectType = toCrmObjectType(crmOf(tenantId), f.object);
      if (objectType) byObject.set(objectType, [...(byObject.get(objectType) ?? []), f.field]);
    }
    const results: BaselineResult[] = [];
    for (const [objectType, properties] of byObject) {
      const result = await takeBaseline({
        connector,
        snapshots,
        objectType,
        properties: [...new Set(properties)],
        now,
      });
      results.push(result);
      onObject?.(result);
    }
    return results;
  };
  const hubspotSetup = createHubSpotSetup({
    hubspot,
    policies,
    isHubSpot: (tenantId) => crmOf(tenantId) === "hubspot",
    baseline: baselineTenant,
    logger,
  });
  const { setup } = hubspotSetup;
  const authenticate = createApiKeyAuthenticator(config.apiKeys);
  const defaultTenant = config.hubspot.portalId ?? policies.current("default").compiled.tenant;

  const rawRouters: Router[] = [];
  if (salesforceIngestion?.router) rawRouters.push(salesforceIngestion.router);
  if (config.hubspot.clientSecret)
    rawRouters.push(
      createHubSpotWebhookRouter({
        clientSecret: config.hubspot.clientSecret,
        publicUrl: config.publicUrl,
        receiver,
        logger,
      }),
    );

  // ── approvals: service, card-signed routes (raw, so signatures cover the exact bytes), provenance ──
  const approvalService = createApprovalService({
    db,
    audit,
    store: approvals,
    writes,
    snapshots,
    connectorFor,
    now,
    // Card users (HubSpot and Salesforce) decide only within the approver group of the rule, as
    // the CRM reports them: HubSpot's user record, Salesforce's User and permission set assignments.
    whyNotAllowed: (approval, approver) =>
      approver.via !== "hubspot_card" && approver.via !== "salesforce_card"
        ? undefined
        : whyNotApprover(
            policies.current(approval.tenantId).compiled.manifest,
            approverGroupOf(policies.current(approval.tenantId).compiled.manifest, approval.ruleId),
            approver.crmUser,
          ),
  });
  const lookupCrmUser = createCrmUserLookup({ connectorFor });
  const salesforceCard =
    salesforce && config.salesforce.webhookSecret
      ? { orgId: salesforce.orgId, secret: config.salesforce.webhookSecret }
      : undefined;
  // HubSpot cards are accepted only when Tollgate can tell its own app's requests (secret and
  // app id); deciding reads the CRM's own record of the card user, cached ≤ 5 minutes.
  const cardAuth =
    (config.hubspot.clientSecret && config.hubspot.appId) || salesforceCard
      ? {
          clientSecret: config.hubspot.clientSecret,
          publicUrl: config.publicUrl,
          devProxyUrl: config.devProxyUrl,
          appId: config.hubspot.appId,
          isInstalled: (portalId: string) => hubspot.isInstalled(portalId),
          salesforce: salesforceCard,
          getUser: (card: { portalId: string; userId: string }) => lookupCrmUser(card.portalId, card.userId),
        }
      : undefined;
  rawRouters.push(
    createApprovalRouter({ service: approvalService, authenticate, card: cardAuth, defaultTenant }),
    createProvenanceRouter({ db, authenticate, card: cardAuth, defaultTenant }),
  );
  // The pre-write gate (docs/architecture.md#the-flow): the same decision, counters and switches as the webhook path.
  const actionGate = createActionGate({
    db,
    // Sends, enrollments and meetings are sampled for QA like webhook proposals (R9: restricted at 100%).
    audit: withQaSampling(instrumentAudit(auditLog, metrics, "gate"), qa),
    policies,
    killSwitches,
    guard: enforcementGuard,
    writes,
    approvals,
    exceptions,
    counters,
    scheduleApprovals: (tenantId, ids) => approvalQueue.schedule(tenantId, ids),
    readRecords: async (tenantId, _crm, objectType, ids, properties) =>
      (await connectorFor(tenantId)).readRecords(objectType, ids, properties),
    isSuppressed: (tenantId, recipient) => signals.isSuppressed(tenantId, recipient),
    redis,
    prefix,
    now,
    logger,
    permitSecret: config.encryptionKey ? derivePermitSecret(config.encryptionKey) : undefined,
  });
  // The governed MCP server (docs/contracts.md, MCP): reads through the connector, everything else through the gate.
  const mcp = createMcpService({
    gate: actionGate,
    policies,
    killSwitches,
    audit: instrumentAudit(auditLog, metrics, "mcp"),
    approvals,
    connectorFor: async (tenantId, crm) => {
      // A tenant is one portal or one org: naming the other CRM reaches nothing.
      if (crmOf(tenantId) !== crm) throw new NotFoundError(`tenant ${tenantId} has no ${crm} connection`);
      return connectorFor(tenantId);
    },
    redis,
    prefix,
    callsPerMinute: config.mcp.callsPerMinute,
    now,
    logger,
  });
  const replay = createReplayService({ db, audit, policies });
  const permitSecret = config.encryptionKey ? derivePermitSecret(config.encryptionKey) : undefined;
  const routers: Router[] = [
    createActionRouter({ gate: actionGate, authenticate, killSwitches, defaultTenant, roleOf }),
    createMcpRouter({ mcp, authenticate, defaultTenant }),
    ...(permitSecret
      ? [
          createPermitRouter({
            verifier: createPermitVerifier({ db, audit, secret: permitSecret, now }),
            authenticate,
            defaultTenant,
          }),
        ]
      : []),
    createPolicyRouter({ policies: hubspotSetup.policies, authenticate, defaultTenant, killSwitches }),
    createSetupRouter({ setup, authenticate, defaultTenant }),
    createKillSwitchRouter({
      service: killSwitches,
      authenticate,
      defaultTenant,
      policyOf: (tenantId) => policies.current(tenantId).compiled,
    }),
    createAuditRouter({ audit, authenticate, defaultTenant }),
    createRollbackRouter({ rollback, authenticate, defaultTenant }),
    createQaRouter({ qa, authenticate, defaultTenant }),
    createReplayRouter({ replay, authenticate, defaultTenant }),
    createSignalRouter({ signals, authenticate, defaultTenant }),
    createExceptionRouter({ exceptions: exceptionQueue, authenticate, defaultTenant }),
    createGovernanceRouter({ db, authenticate, defaultTenant, now }),
    ...hubspot.routers(async (installation) => {
      await hubspot.provision(
        installation.tenantId,
        listGovernedFields(policies.current(installation.tenantId).compiled),
      );
      // The baseline follows in the background: reverts need no history read from day one.
      setup.run(installation.tenantId, "install", { skipProvision: true });
    }),
  ];
  const app = createHttpApp({
    logger,
    metrics,
    healthChecks: { database: () => db.query("SELECT 1"), redis: () => redis.ping() },
    rawRouters,
    routers,
    metricsToken: config.metricsToken,
    mayReadHealth: (header) => authenticate(header) !== undefined,
    // Every refused request a tenant can be named for is audited (docs/operations.md, security).
    onRefused: async (req, err) => {
      const refusal = toRefusalEvent(req, err, defaultTenant);
      if (!refusal) return;
      for (const tenantId of refusal.tenants) {
        if (!req.principal && !req.card && !(await hubspot.isInstalled(tenantId))) continue;
        await audit.append({ tenant_id: tenantId, ...refusal.event });
      }
    },
  });

  let server: Server | undefined;
  let webhookWorkers: WebhookWorkers | undefined;
  let receiptSweeper: ReceiptSweeper | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let approvalSweep: NodeJS.Timeout | undefined;
  // Nothing undelivered escapes: HubSpot tenants are swept for changes no webhook brought.
  const reconciler = createReconciler({
    db,
    crm: "hubspot",
    tenants: async () => [
      ...new Set([
        ...(config.hubspot.portalId ? [config.hubspot.portalId] : []),
        ...(await receipts.tenants("hubspot")),
      ]),
    ],
    connectorFor: (tenantId) => hubspot.connectorFor(tenantId),
    governed: (tenantId) => {
      const byObject = new Map<string, GovernedObject>();
      for (const f of listGovernedFields(policies.current(tenantId).compiled)) {
        const objectType = toCrmObjectType("hubspot", f.object);
        if (!objectType) continue;
        const entry = byObject.get(objectType) ?? { objectType, policyObject: f.object, properties: [] };
        if (!entry.properties.includes(f.field)) entry.properties.push(f.field);
        byObject.set(objectType, entry);
      }
      return [...byObject.values()];
    },
    enforce: (tenantId, changes) => enforceChanges(enforcement, tenantId, changes),
    intervalS: config.reliability.reconcileIntervalS,
    now,
    logger,
  });

  return {
    config,
    logger,
    metrics,
    db,
    redis,
    audit,
    policies,
    approvals,
    approvalQueue,
    exceptions,
    exceptionQueue,
    killSwitches,
    rollback,
    qa,
    replay,
    signals,
    writes,
    receiver,
    receipts,
    reconciler,
    hubspot,
    salesforce,
    salesforceIngestion,
    connectorFor,
    crmOf,
    enforcement,
    actionGate,
    mcp,
    app,
    baseline: (tenantId) => baselineTenant(tenantId),
    setup,
    async backlog(tenantId) {
      const queue = new Queue(tenantQueueName(tenantId), { connection: redis, prefix });
      try {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        const stats = await writes.stats(tenantId);
        return {
          webhookJobs: Object.values(counts).reduce((a, b) => a + b, 0),
          pendingWrites: stats.pending + stats.in_flight,
        };
      } finally {
        await queue.close();
      }
    },
    async start() {
      // Kill-switch state comes back from PostgreSQL first: nothing may run before it is known.
      await killSwitches.start();
      // Private-app mode provisions before it accepts a single webhook (docs/contracts.md#fields-the-app-installs).
      if (config.hubspot.mode === "private_app") {
        const tenantId = config.hubspot.portalId!;
        const result = await hubspot.provision(tenantId, listGovernedFields(policies.current(tenantId).compiled));
        logger.info(
          { tenantId, created: result.created.length, problems: result.problems.length },
          "hubspot provisioned",
        );
        // Baseline in the background only on the first start (the install): on a restart, events
        // still queued could make it record an agent's unreverted write as the trusted value.
        const seen = await db.query("SELECT 1 FROM record_values WHERE tenant_id = $1 LIMIT 1", [tenantId]);
        if (seen.rows.length === 0) setup.run(tenantId, "start", { skipProvision: true });
      }
      // The Salesforce org likewise: its fields, field access and CDC selection before any event.
      if (salesforce) {
        const plan = await salesforce.provision(listGovernedFields(policies.current(salesforce.orgId).compiled));
        logger.info(
          { tenantId: salesforce.orgId, created: plan.objects.reduce((n, o) => n + o.create.length, 0) },
          "salesforce provisioned",
        );
      }
      if (options.workers ?? true) {
        await writes.start();
        await approvalQueue.rebuild();
        // approvals: expiry fails closed; settle what a crash left between a write and its callback.
        approvalQueue.start({ onExpire: (job) => approvalService.onExpireJob(job) });
        await approvalService.reconcile();
        webhookWorkers = await createWebhookWorkers({
          redis,
          prefix,
          logger,
          receipts,
          retry,
          onSetAside: (aside) => onReceiptSetAside(aside),
          handler: async (job, meta) => {
            const summary = await enforceChanges(enforcement, job.tenantId, job.changes.map(toCrmChange), {
              // The receipt is done exactly when the batch's enforcement commits.
              inTransaction: (tx) => meta.settle(tx),
            });
            logger.debug({ tenantId: job.tenantId, ...summary }, "webhook batch enforced");
          },
        });
        // Receipts Redis lost (or whose job ended without them) are queued again, now and periodically.
        receiptSweeper = createReceiptSweeper({
          redis,
          prefix,
          receipts,
          retry,
          logger,
          intervalMs: config.reliability.sweepIntervalMs,
          graceMs: Math.max(2 * config.reliability.sweepIntervalMs, 1_000),
        });
        await receiptSweeper.start();
        // Approval timers are re-added from PostgreSQL each sweep (job ids make it a no-op when present).
        approvalSweep = setInterval(() => {
          approvalQueue
            .rebuild()
            .catch((err: unknown) => logger.warn({ err: (err as Error).message }, "approval timer sweep failed"));
        }, config.reliability.sweepIntervalMs);
        approvalSweep.unref();
        reconciler.start();
        await salesforceIngestion?.cdc.start();
      }
      checkpoints?.start();
      refreshTimer = setInterval(
        () =>
          void policies.refresh().catch((err) => logger.warn({ err: (err as Error).message }, "policy refresh failed")),
        5000,
      );
      refreshTimer.unref();
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(config.port, () => resolve(s));
      });
      return server;
    },
    async stop() {
      if (refreshTimer) clearInterval(refreshTimer);
      checkpoints?.stop();
      if (approvalSweep) clearInterval(approvalSweep);
      await mcp.close();
      await reconciler.close();
      // A background setup still reading the CRM finishes before the database closes.
      if (config.hubspot.mode === "private_app") await setup.idle(config.hubspot.portalId!);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await salesforceIngestion?.cdc.stop();
      await receiptSweeper?.close();
      await webhookWorkers?.close();
      await approvalQueue.close();
      await writes.close();
      await receiver.close();
      await killSwitches.close();
      redis.disconnect();
      if (!options.db) await db.close();
    },
  };
}

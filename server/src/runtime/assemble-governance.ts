import {
  createApprovalNotifier,
  createApprovalQueue,
  createApprovalService,
  createApprovalStore,
  createCardApproverCheck,
} from "../approvals/index.js";
import type { AuditLog } from "../audit/index.js";
import { createPolicyPort, type EnforcementDeps } from "../enforce/index.js";
import { createExceptionQueue, createExceptionStore } from "../exceptions/index.js";
import { registerGovernanceMetrics } from "../metrics/index.js";
import { instrumentAudit } from "../observability/index.js";
import { createQaSampler, withQaSampling } from "../qa/index.js";
import { createRollbackService } from "../rollback/index.js";
import { createGoldenService } from "../golden/index.js";
import { createSafeModeService } from "../safe-mode/index.js";
import { assembleSafeguards } from "./assemble-safeguards.js";
import { createSensitivePurge } from "../sensitive/index.js";

export type GovernancePorts = Parameters<typeof assembleSafeguards>[0] & {
  /** The one audit log, for the webhook path's own labelled view. */
  auditLog: AuditLog;
};

/**
 * What governs writes: the safeguards, approvals, rollback, QA and exceptions, and the
 * enforcement every change goes through (docs/architecture.md#the-flow).
 */
export async function assembleGovernance(p: GovernancePorts) {
  const { config, db, redis, prefix, audit, crms, metrics, now } = p;
  const safeguards = await assembleSafeguards(p);
  const { policyOf, snapshots, writes, settled } = safeguards;
  const approvals = createApprovalStore(db);
  const approvalQueue = createApprovalQueue({ connection: redis, prefix, store: approvals, now });
  const exceptions = createExceptionStore(db, { now });
  const readHistory = async (tenantId: string, objectType: string, ids: readonly string[], props: readonly string[]) =>
    (await crms.connectorFor(tenantId)).readRecords(objectType, ids, props, { withHistory: true });
  const rollback = createRollbackService({ db, audit, writes, snapshots, now, readHistory });
  const qa = createQaSampler({ db, audit, now, policyFor: (tenantId) => policyOf(tenantId).manifest.qa });
  const exceptionQueue = createExceptionQueue({ db, audit, now });
  // Golden records gate policy changes and resumes; safe mode is an input of every decision.
  const golden = createGoldenService({ db, audit, policyOf, now });
  const safeModes = createSafeModeService({ db, audit, policyOf, now });
  registerGovernanceMetrics(metrics.registry, { db, now });
  // Clear sensitive values leave crm_writes and approvals once settled (docs/operations.md, security).
  const sensitivePurge = createSensitivePurge({ db, hash: (v) => p.auditLog.hashSensitive(v) });
  const whyNotAllowed = createCardApproverCheck((tenantId) => policyOf(tenantId).manifest);
  // A pending approval is a CRM task for each approver, completed once decided (docs/operations.md).
  const notifier = createApprovalNotifier({
    db,
    store: approvals,
    connectorFor: crms.connectorFor,
    whyNotAllowed,
    properties: crms.properties,
  });
  const approvalService = createApprovalService({
    db,
    audit,
    store: approvals,
    writes,
    snapshots,
    connectorFor: crms.connectorFor,
    now,
    whyNotAllowed,
    onDecided: (tenantId, ids) =>
      Promise.allSettled([sensitivePurge.purge([tenantId]), notifier.closeSettled(tenantId, ids)]),
  });
  settled.add((rows) => approvalService.onWritesSettled(rows));
  settled.add((rows) => rollback.onWritesSettled(rows));
  // Last: once a write settled (and the approval it applied with it), its sensitive values are purged.
  settled.add(async (rows) => void (await sensitivePurge.purge(rows.map((r) => r.tenantId))));
  const enforcement: EnforcementDeps = {
    db,
    snapshots,
    writes,
    exceptions,
    guard: safeguards.guard,
    now,
    // QA items are sampled from each batch's events in the same transaction.
    audit: withQaSampling(instrumentAudit(p.auditLog, metrics, "webhook"), qa),
    approvals: {
      create: (a, o) => approvals.create(a, o),
      scheduled: (tenantId, ids) => approvalQueue.schedule(tenantId, ids),
    },
    policyFor: (tenantId) => createPolicyPort(policyOf(tenantId), { safeModes: safeModes.activeFor(tenantId) }),
    readRecords: async (tenantId, objectType, ids, properties, withHistory) =>
      (await crms.connectorFor(tenantId)).readRecords(objectType, ids, properties, { withHistory }),
    self: {
      hubspotAppId: config.hubspot.appId,
      salesforceClient: config.salesforce.clientName,
      salesforceUserId: crms.salesforce?.integrationUserId ?? config.salesforce.integrationUserId,
    },
  };
  return {
    ...safeguards,
    audit,
    approvals,
    approvalQueue,
    approvalService,
    notifier,
    exceptions,
    exceptionQueue,
    rollback,
    qa,
    golden,
    safeModes,
    enforcement,
  };
}

export type Governance = Awaited<ReturnType<typeof assembleGovernance>>;

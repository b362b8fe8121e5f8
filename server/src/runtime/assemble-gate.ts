import { createActionGate, createPermitVerifier, derivePermitSecret } from "../actions/index.js";
import type { AuditLog } from "../audit/index.js";
import { createContainment } from "../containment/index.js";
import type { ReceiptStore } from "../webhooks/index.js";
import { NotFoundError } from "../errors/index.js";
import { createMcpService } from "../mcp/index.js";
import { instrumentAudit } from "../observability/index.js";
import { withQaSampling } from "../qa/index.js";
import { createReplayService } from "../replay/index.js";
import type { AgentTokens } from "./assemble-agent-tokens.js";
import type { Governance } from "./assemble-governance.js";
import type { BaseParts } from "./parts.js";

/** The pre-write gate (docs/architecture.md#the-flow), the governed MCP server over it, and decision replay. */
export function assembleGate(
  p: BaseParts & { auditLog: AuditLog; governance: Governance; agentTokens: AgentTokens; receipts: ReceiptStore },
) {
  const { config, db, redis, prefix, policies, crms, governance: g, metrics, logger, now } = p;
  const permitSecret = config.encryptionKey ? derivePermitSecret(config.encryptionKey) : undefined;
  // The same decision, counters and switches as the webhook path.
  const actionGate = createActionGate({
    db,
    // Sends, enrollments and meetings are sampled for QA like webhook proposals (restricted at 100%).
    audit: withQaSampling(instrumentAudit(p.auditLog, metrics, "gate"), g.qa),
    policies,
    killSwitches: g.killSwitches,
    guard: g.guard,
    writes: g.writes,
    approvals: g.approvals,
    exceptions: g.exceptions,
    counters: g.counters,
    scheduleApprovals: (tenantId, ids) => g.approvalQueue.schedule(tenantId, ids),
    readRecords: async (tenantId, _crm, objectType, ids, properties) =>
      (await crms.connectorFor(tenantId)).readRecords(objectType, ids, properties),
    // HubSpot's Sensitive Data mark: such a value is hashed in every audit event after it.
    isSensitive: (tenantId, _crm, objectType, field) => crms.properties.isSensitive(tenantId, objectType, field),
    isSuppressed: (tenantId, recipient) => g.signals.isSuppressed(tenantId, recipient),
    safeModeUntil: (tenantId, agentId) => g.safeModes.untilOf(tenantId, agentId),
    redis,
    prefix,
    now,
    logger,
    permitSecret,
    // Field writes go out through whichever CRM is connected (the write queue reaches both).
    executableCrms: crms.salesforce ? ["hubspot", "salesforce"] : ["hubspot"],
  });
  // The governed MCP server (docs/contracts.md, MCP): reads through the connector, everything else through the gate.
  const mcp = createMcpService({
    gate: actionGate,
    policies,
    killSwitches: g.killSwitches,
    audit: instrumentAudit(p.auditLog, metrics, "mcp"),
    approvals: g.approvals,
    connectorFor: async (tenantId, crm) => {
      // A tenant is one portal or one org: naming the other CRM reaches nothing.
      if (crms.crmOf(tenantId) !== crm) throw new NotFoundError(`tenant ${tenantId} has no ${crm} connection`);
      return crms.connectorFor(tenantId);
    },
    redis,
    prefix,
    callsPerMinute: config.mcp.callsPerMinute,
    idleTimeoutMs: config.mcp.idleTimeoutS * 1000,
    now,
    logger,
  });
  // Containment at the source (docs/operations.md#containment): every switch change made here.
  const ownUserId = crms.salesforce?.integrationUserId ?? config.salesforce.integrationUserId;
  const containment = createContainment({
    db,
    audit: g.audit,
    killSwitches: g.killSwitches,
    policyOf: g.policyOf,
    mcp,
    connectorFor: crms.connectorFor,
    ownUserIds: () => (ownUserId ? [ownUserId] : []),
    agentTokens: p.agentTokens?.broker,
    pendingChanges: (tenantId) => p.receipts.unprocessed(tenantId),
    now,
    logger,
  });
  g.killSwitches.onSwitched((change) => void containment.handle(change).catch(() => undefined));
  const replay = createReplayService({ db, audit: g.audit, policies });
  const previousSecrets = config.previousEncryptionKeys.map((k) => derivePermitSecret(k));
  const permits = permitSecret
    ? createPermitVerifier({ db, audit: g.audit, secret: permitSecret, previousSecrets, now })
    : undefined;
  return { actionGate, mcp, replay, permits, containment };
}

export type Gate = ReturnType<typeof assembleGate>;

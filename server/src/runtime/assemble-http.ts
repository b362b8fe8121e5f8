import type { Router } from "express";
import {
  cardAuthOf,
  createApprovalRouter,
  createActionRouter,
  createAgentTokenRouter,
  createCardPageRouter,
  createApiKeyAuthenticator,
  createAuditRouter,
  createCrmUserLookup,
  createFieldLabelLookup,
  createExceptionRouter,
  createGoldenRouter,
  createGovernanceRouter,
  createHttpApp,
  createKillSwitchRouter,
  createMcpRouter,
  createPermitRouter,
  createPolicyRouter,
  createProvenanceRouter,
  createQaRouter,
  createRefusalAuditor,
  createReplayRouter,
  createRollbackRouter,
  createSetupRouter,
  createSignalRouter,
} from "../http/index.js";
import { cardRoleOf } from "../policy/index.js";
import { createSettingsView } from "../settings/index.js";
import { createHubSpotWebhookRouter } from "../webhooks/index.js";
import type { AgentTokens } from "./assemble-agent-tokens.js";
import type { Governance } from "./assemble-governance.js";
import type { Gate } from "./assemble-gate.js";
import type { Ingestion } from "./assemble-ingestion.js";
import type { BaseParts } from "./parts.js";

/** The HTTP API (docs/contracts.md#http-api): every router, authenticated, on one app. */
export function assembleHttp(
  p: BaseParts & { governance: Governance; gate: Gate; ingestion: Ingestion; agentTokens: AgentTokens },
) {
  const { config, db, redis, crms, governance: g, gate, ingestion, logger, now } = p;
  const { setup, policies } = ingestion.hubspotSetup;
  const authenticate = createApiKeyAuthenticator(config.apiKeys);
  const defaultTenant = config.hubspot.portalId ?? policies.current("default").compiled.tenant;
  const isInstalled = (tenantId: string) => crms.hubspot.isInstalled(tenantId);
  const card = cardAuthOf(config, {
    isInstalled,
    salesforceOrgId: crms.salesforce?.orgId,
    getUser: createCrmUserLookup({ connectorFor: crms.connectorFor }),
    // The settings page: a card user's role from the policy's role groups (docs/contracts.md, card identity).
    roleOf: (c) => cardRoleOf(g.policyOf(c.portalId).manifest, c.user),
  });
  const settings = createSettingsView({
    db,
    killSwitches: g.killSwitches,
    policies,
    exceptions: g.exceptionQueue,
    setup,
  });
  const tenanted = { authenticate, defaultTenant };
  const fieldLabels = createFieldLabelLookup({ properties: crms.properties });
  // Raw routers read the exact bytes their signatures cover.
  const rawRouters: Router[] = [
    ...(ingestion.salesforce?.router ? [ingestion.salesforce.router] : []),
    ...(config.hubspot.clientSecret
      ? [
          createHubSpotWebhookRouter({
            clientSecret: config.hubspot.clientSecret,
            publicUrl: config.publicUrl,
            receiver: ingestion.receiver,
            logger,
          }),
        ]
      : []),
    createApprovalRouter({ service: g.approvalService, card, fieldLabels, ...tenanted }),
    createProvenanceRouter({ db, card, fieldLabels, ...tenanted }),
  ];
  const routers: Router[] = [
    createActionRouter({ gate: gate.actionGate, killSwitches: g.killSwitches, roleOf: g.roleOf, ...tenanted }),
    createMcpRouter({ mcp: gate.mcp, ...tenanted }),
    ...(p.agentTokens
      ? [
          p.agentTokens.router,
          createAgentTokenRouter({
            broker: p.agentTokens.broker,
            killSwitches: g.killSwitches,
            roleOf: g.roleOf,
            ...tenanted,
          }),
        ]
      : []),
    ...(gate.permits ? [createPermitRouter({ verifier: gate.permits, ...tenanted })] : []),
    createPolicyRouter({ policies, killSwitches: g.killSwitches, golden: g.golden, ...tenanted }),
    createGoldenRouter({ golden: g.golden, safeModes: g.safeModes, policies, ...tenanted }),
    createSetupRouter({ setup, ...tenanted }),
    createKillSwitchRouter({
      service: g.killSwitches,
      policyOf: g.policyOf,
      containment: gate.containment,
      golden: g.golden,
      card,
      ...tenanted,
    }),
    createCardPageRouter({ approvals: g.approvalService, settings, card, fieldLabels, ...tenanted }),
    createAuditRouter({ audit: g.audit, ...tenanted }),
    createRollbackRouter({ rollback: g.rollback, ...tenanted }),
    createQaRouter({ qa: g.qa, ...tenanted }),
    createReplayRouter({ replay: gate.replay, ...tenanted }),
    createSignalRouter({ signals: g.signals, ...tenanted }),
    createExceptionRouter({ exceptions: g.exceptionQueue, ...tenanted }),
    createGovernanceRouter({ db, now, ...tenanted }),
    ...crms.hubspot.routers((installation) => ingestion.hubspotSetup.onInstalled(installation), {
      redis,
      prefix: p.prefix,
    }),
  ];
  return createHttpApp({
    logger,
    metrics: p.metrics,
    healthChecks: { database: () => db.query("SELECT 1"), redis: () => redis.ping() },
    rawRouters,
    routers,
    metricsToken: config.metricsToken,
    mayReadHealth: (header) => authenticate(header) !== undefined,
    // Every refused request a tenant can be named for is audited (docs/operations.md, security).
    onRefused: createRefusalAuditor({ audit: g.audit, defaultTenant, isInstalled }),
  });
}

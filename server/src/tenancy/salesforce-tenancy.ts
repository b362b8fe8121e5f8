import type { Config } from "../config/index.js";
import { createSalesforceConnector, mintJwtToken, type SalesforceConnector } from "../crm/salesforce/index.js";
import {
  TOLLGATE_FIELDS_PERMISSION_SET,
  planSalesforceInstall,
  type GovernedField,
  type SalesforceInstallPlan,
} from "../install/index.js";
import type { Logger } from "../observability/index.js";

export interface SalesforceTenancy {
  /** The org's id (`00D…`), Tollgate's tenant id for it. */
  readonly orgId: string;
  /** Tollgate's integration user: its `commitUser` marks Tollgate's own writes. */
  readonly integrationUserId: string;
  readonly connector: SalesforceConnector;
  /** The org's custom fields, field access and CDC selection; with `dryRun` only the plan. */
  provision(fields: readonly GovernedField[], options?: { dryRun?: boolean }): Promise<SalesforceInstallPlan>;
}

/** Whether the environment names a Salesforce org (static token, or JWT bearer). */
export function salesforceConfigured(config: Config): boolean {
  const sf = config.salesforce;
  return Boolean((sf.accessToken && sf.instanceUrl) || (sf.clientId && sf.username && sf.jwtKey));
}

/**
 * How Tollgate reaches its Salesforce org (one org per deployment, as HubSpot's private-app
 * mode): a static token, or the JWT bearer flow. The org id and, unless configured, the
 * integration user are learned from the token (`/services/oauth2/userinfo`) at start.
 */
export async function createSalesforceTenancy(options: {
  config: Config;
  logger: Logger;
  onAllocationExhausted?: (info: { orgId: string; used?: number | undefined; limit?: number | undefined }) => void;
}): Promise<SalesforceTenancy> {
  const sf = options.config.salesforce;
  const loginUrl = sf.loginUrl ?? "https://login.salesforce.com";
  const jwt =
    sf.clientId && sf.username && sf.jwtKey
      ? { loginUrl, clientId: sf.clientId, username: sf.username, privateKey: sf.jwtKey.replace(/\\n/g, "\n") }
      : undefined;
  let instanceUrl = sf.instanceUrl;
  let accessToken = sf.accessToken;
  if (!instanceUrl && jwt) {
    const token = await mintJwtToken(jwt);
    instanceUrl = token.instance_url;
    accessToken = token.access_token;
  }
  if (!instanceUrl) throw new Error("SALESFORCE_INSTANCE_URL: required with SALESFORCE_ACCESS_TOKEN");
  const base = {
    instanceUrl,
    accessToken,
    jwt,
    apiVersion: sf.apiVersion,
    clientName: sf.clientName,
    onAllocationExhausted: (info: { orgId: string; used?: number | undefined; limit?: number | undefined }) => {
      options.logger.error(info, "salesforce: daily API allocation spent; writes paused, nothing dropped");
      options.onAllocationExhausted?.(info);
    },
  };
  const probe = createSalesforceConnector({ ...base, orgId: "unknown" });
  const identity = await probe.identity();
  const connector = createSalesforceConnector({ ...base, orgId: identity.orgId });
  const integrationUserId = sf.integrationUserId ?? identity.userId;
  options.logger.info({ orgId: identity.orgId, integrationUserId }, "salesforce org connected");

  return {
    orgId: identity.orgId,
    integrationUserId,
    connector,
    async provision(fields, provisionOptions = {}) {
      const objectTypes = planSalesforceInstall({ governedFields: fields, existing: {} }).changeDataCapture;
      const existing: Record<string, Awaited<ReturnType<SalesforceConnector["listProperties"]>>> = {};
      for (const objectType of objectTypes) existing[objectType] = await connector.listProperties(objectType);
      const plan = planSalesforceInstall({ governedFields: fields, existing });
      if (provisionOptions.dryRun) return plan;
      for (const o of plan.objects) if (o.create.length > 0) await connector.createProperties(o.objectType, o.create);
      await connector.grantFieldAccess(TOLLGATE_FIELDS_PERMISSION_SET, plan.fieldAccess, integrationUserId);
      await connector.enableChangeDataCapture(plan.changeDataCapture);
      for (const p of plan.problems)
        options.logger.warn({ orgId: identity.orgId, problem: p }, "salesforce provisioning problem");
      return plan;
    },
  };
}

/** At start, before any event: the org's fields, field access and CDC selection. */
export async function provisionSalesforceAtStart(
  tenancy: SalesforceTenancy,
  fields: readonly GovernedField[],
  logger: Logger,
): Promise<void> {
  const plan = await tenancy.provision(fields);
  logger.info(
    { tenantId: tenancy.orgId, created: plan.objects.reduce((n, o) => n + o.create.length, 0) },
    "salesforce provisioned",
  );
}

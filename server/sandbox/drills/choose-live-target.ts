import { loadConfig } from "../../src/config/index.js";
import { DRILL_CRMS, type DrillCrm } from "../../src/drills/index.js";
import { createLogger } from "../../src/observability/index.js";
import { createSalesforceTenancy, salesforceConfigured } from "../../src/tenancy/index.js";

/** The CRM a live drill runs against: the portal or org Tollgate is configured with, confirmed by name. */
export interface LiveTarget {
  crm: DrillCrm;
  /** The portal id or org id: Tollgate's tenant. */
  tenantId: string;
  /** How the report and refusals name it: `HubSpot portal 62515 (https://api.hubapi.com)`. */
  name: string;
  /** The configured CRM's variables, and only that CRM's: the drill's Tollgate connects nothing else. */
  env: Record<string, string>;
  /** What removing a record does there (HubSpot archives; Salesforce deletes to the Recycle Bin). */
  removal: string;
}

export interface LiveConfirmation {
  /** `--confirm-portal`: the configured HubSpot portal's id. */
  portal?: string | undefined;
  /** `--confirm-org`: the configured Salesforce org's id (15 or 18 characters). */
  org?: string | undefined;
}

const SALESFORCE_VARIABLES =
  "SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN, or SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and SALESFORCE_JWT_KEY";
const HUBSPOT_VARIABLES = "HUBSPOT_ACCESS_TOKEN (a private-app token) and HUBSPOT_PORTAL_ID";

/**
 * Which configured CRM `--live` drills, refusing unless the confirmation names it: the flag
 * chooses the CRM (`--confirm-portal` HubSpot, `--confirm-org` Salesforce), so with both
 * configured nothing runs until one is named, and never both at once. The org's id is learned
 * from the org (one read: `/services/oauth2/userinfo`), so a refusal can say which org it is.
 */
export async function chooseLiveTarget(env: NodeJS.ProcessEnv, confirm: LiveConfirmation): Promise<LiveTarget> {
  if (confirm.portal !== undefined && confirm.org !== undefined)
    throw new Error("--live drills one CRM at a time: give --confirm-portal or --confirm-org, not both");
  const config = loadConfig(env);
  const hubspot = config.hubspot.accessToken && config.hubspot.portalId ? hubspotTarget(env) : undefined;
  // The org is asked who it is only when it may be the one drilled.
  const salesforce = () => (salesforceConfigured(config) ? salesforceTarget(env) : Promise.resolve(undefined));
  if (confirm.org !== undefined) {
    const org = await salesforce();
    if (!org) throw new Error(`--confirm-org: no Salesforce org is configured (${SALESFORCE_VARIABLES})`);
    if (!sameOrg(confirm.org, org.tenantId)) throw new Error(refusal(org));
    return org;
  }
  if (confirm.portal !== undefined) {
    if (!hubspot) throw new Error(`--confirm-portal: no HubSpot portal is configured (${HUBSPOT_VARIABLES})`);
    if (confirm.portal !== hubspot.tenantId) throw new Error(refusal(hubspot));
    return hubspot;
  }
  const configured = [hubspot, await salesforce()].filter((t): t is LiveTarget => t !== undefined);
  if (configured.length === 0)
    throw new Error(
      `--live needs the CRM Tollgate is configured with: a HubSpot portal (${HUBSPOT_VARIABLES}) or a Salesforce org (${SALESFORCE_VARIABLES})`,
    );
  throw new Error(configured.map(refusal).join("; or "));
}

function refusal(t: LiveTarget): string {
  return t.crm.crm === "hubspot"
    ? `--live creates and archives a test contact in ${t.name}: confirm with --confirm-portal ${t.tenantId}`
    : `--live creates and deletes a test Contact in ${t.name}: confirm with --confirm-org ${t.tenantId}`;
}

/** Salesforce ids come in 15 case-sensitive characters or 18 (the 15 and a checksum): either names the org. */
function sameOrg(confirmed: string, orgId: string): boolean {
  return confirmed === orgId || (confirmed.length === 15 && orgId.slice(0, 15) === confirmed);
}

function hubspotTarget(env: NodeJS.ProcessEnv): LiveTarget {
  const { hubspot } = loadConfig(env);
  const portal = hubspot.portalId!;
  return {
    crm: DRILL_CRMS.hubspot,
    tenantId: portal,
    name: `HubSpot portal ${portal} (${hubspot.apiBaseUrl})`,
    env: {
      HUBSPOT_ACCESS_TOKEN: hubspot.accessToken!,
      HUBSPOT_PORTAL_ID: portal,
      HUBSPOT_API_BASE_URL: hubspot.apiBaseUrl,
      ...(env.HUBSPOT_APP_ID ? { HUBSPOT_APP_ID: env.HUBSPOT_APP_ID } : {}),
      ...(env.HUBSPOT_CLIENT_SECRET ? { HUBSPOT_CLIENT_SECRET: env.HUBSPOT_CLIENT_SECRET } : {}),
    },
    removal: "archived",
  };
}

async function salesforceTarget(env: NodeJS.ProcessEnv): Promise<LiveTarget> {
  const config = loadConfig(env);
  const tenancy = await createSalesforceTenancy({ config, logger: createLogger({ level: "silent" }) });
  const where = config.salesforce.instanceUrl ?? config.salesforce.loginUrl ?? "https://login.salesforce.com";
  return {
    crm: DRILL_CRMS.salesforce,
    tenantId: tenancy.orgId,
    name: `Salesforce org ${tenancy.orgId} (${where})`,
    env: Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[0].startsWith("SALESFORCE_") && e[1] !== undefined),
    ),
    removal: "deleted (to the Recycle Bin)",
  };
}

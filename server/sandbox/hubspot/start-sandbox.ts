import { createHubSpotSandbox } from "./create-hubspot-sandbox.js";
import type { HubSpotSandbox, HubSpotSandboxOptions } from "./types.js";

export interface StartSandboxOptions extends HubSpotSandboxOptions {
  /** Agents to simulate, each with its own app (its writes show as `INTEGRATION` + its app id). */
  agents?: { id: string; appId: number }[];
  /**
   * People to simulate, each a CRM user (`CRM_UI`, `userId:<id>`) and a user of the account
   * (`GET /settings/v3/users/{id}`, email `<name>@<portal>.sandbox.example` unless given).
   */
  users?: {
    name: string;
    userId: number;
    email?: string;
    teamIds?: string[];
    roleIds?: string[];
    superAdmin?: boolean;
  }[];
  /** Seed a few contacts, companies and deals. @defaultValue true */
  demoData?: boolean;
}

export interface StartedSandbox {
  sandbox: HubSpotSandbox;
  /** Tollgate's own private-app token (writes as `options.appId`). */
  tollgateToken: string;
  agentTokens: Record<string, string>;
  userTokens: Record<string, string>;
}

/**
 * The sandbox as the demo runs it: started, seeded, with a token for Tollgate, each agent and
 * each user.
 */
export async function startSandbox(options: StartSandboxOptions): Promise<StartedSandbox> {
  const { agents = [], users = [], demoData = true, ...sandboxOptions } = options;
  const sandbox = await createHubSpotSandbox(sandboxOptions);
  for (const u of users)
    sandbox.putUser({
      id: String(u.userId),
      email: u.email ?? `${u.name}@${sandbox.portalId}.sandbox.example`,
      roleIds: u.roleIds ?? [],
      ...(u.teamIds?.[0] ? { primaryTeamId: u.teamIds[0] } : {}),
      secondaryTeamIds: u.teamIds?.slice(1) ?? [],
      superAdmin: u.superAdmin ?? false,
    });
  if (demoData) seedDemoData(sandbox);
  return {
    sandbox,
    tollgateToken: sandbox.tokens.issue({ appId: options.appId }),
    agentTokens: Object.fromEntries(agents.map((a) => [a.id, sandbox.tokens.issue({ appId: a.appId })])),
    userTokens: Object.fromEntries(users.map((u) => [u.name, sandbox.tokens.issue({ userId: u.userId })])),
  };
}

function seedDemoData(sandbox: HubSpotSandbox): void {
  sandbox.seed("companies", [
    {
      id: "5001",
      properties: {
        name: "Northwind Traders",
        domain: "northwind.example",
        industry: "Retail",
        numberofemployees: "240",
      },
    },
    {
      id: "5002",
      properties: { name: "Globex", domain: "globex.example", industry: "Manufacturing", numberofemployees: "1200" },
    },
    {
      // A regulated account: its proposals go to a person whatever the agent says (docs/policy.md).
      id: "5003",
      properties: {
        name: "Initech Bank",
        domain: "initech-bank.example",
        industry: "Banking",
        numberofemployees: "800",
      },
    },
  ]);
  sandbox.seed("contacts", [
    {
      id: "101",
      properties: {
        email: "ada@northwind.example",
        firstname: "Ada",
        lastname: "Lovelace",
        jobtitle: "VP Operations",
        industry: "Retail",
        associatedcompanyid: "5001",
        lifecyclestage: "lead",
        hs_lead_status: "NEW",
      },
    },
    {
      id: "102",
      properties: {
        email: "grace@globex.example",
        firstname: "Grace",
        lastname: "Hopper",
        jobtitle: "Senior Engineer",
        industry: "Manufacturing",
        associatedcompanyid: "5002",
        lifecyclestage: "salesqualifiedlead",
        hs_lead_status: "OPEN",
      },
    },
    {
      id: "103",
      properties: {
        email: "alan@globex.example",
        firstname: "Alan",
        lastname: "Turing",
        jobtitle: "Engineer",
        lifecyclestage: "subscriber",
        associatedcompanyid: "5002",
      },
    },
  ]);
  sandbox.seed("deals", [
    {
      id: "9001",
      properties: { dealname: "Globex renewal", amount: "48000", dealstage: "qualifiedtobuy", pipeline: "default" },
    },
  ]);
}

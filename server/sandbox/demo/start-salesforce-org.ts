import { randomBytes } from "node:crypto";
import {
  createSalesforceSandbox,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
  type SandboxUser,
} from "../salesforce/index.js";

/** The users of manifests/policy.salesforce.yaml, with the ids it names. */
export const SALESFORCE_POLICY_USERS = {
  enrichment: { name: "Enrichment Bot", id: "0055g00000EnRcHAAV" },
  prospecting: { name: "Prospecting Bot", id: "0055g00000PrOsPAAV" },
  rep: { name: "Rita Rep", id: "0055g00000RePsAAAV" },
} as const;

export interface LocalSalesforceOrg {
  org: SalesforceSandbox;
  tollgateUser: SandboxUser;
  users: Record<keyof typeof SALESFORCE_POLICY_USERS, SandboxUser & { token: string }>;
  /** `SALESFORCE_*` for a Tollgate connected to this org by static token. */
  env: Record<string, string>;
  webhookSecret: string;
}

/** The Salesforce sandbox (`options` override its defaults) with Tollgate's integration user, the policy's agents and a rep. */
export async function startSalesforceOrg(options: SalesforceSandboxOptions = {}): Promise<LocalSalesforceOrg> {
  const org = await createSalesforceSandbox({ longPollMs: 2_000, ...options });
  const tollgateUser = org.users.create("Tollgate Integration", "tollgate@acme.example");
  // Kill switches freeze the agents' own users: Tollgate's user needs "Manage Users" for it.
  org.users.grantManageUsers(tollgateUser.id);
  const users = Object.fromEntries(
    Object.entries(SALESFORCE_POLICY_USERS).map(([key, u]) => {
      const user = org.users.create(u.name, undefined, u.id);
      return [key, { ...user, token: org.users.token(user.id) }];
    }),
  ) as LocalSalesforceOrg["users"];
  const webhookSecret = randomBytes(16).toString("hex");
  return {
    org,
    tollgateUser,
    users,
    webhookSecret,
    env: {
      SALESFORCE_INSTANCE_URL: org.url,
      SALESFORCE_ACCESS_TOKEN: org.users.token(tollgateUser.id),
      SALESFORCE_WEBHOOK_SECRET: webhookSecret,
    },
  };
}

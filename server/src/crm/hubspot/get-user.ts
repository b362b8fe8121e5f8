import type { PublicUser } from "@hubspot/api-client/lib/codegen/settings/users/models/PublicUser.js";
import type { CrmUser } from "../connector.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";

/**
 * `GET /settings/v3/users/{userId}` (scope `settings.users.read`): the account's own record of a
 * user — roles, teams, super admin — which approver groups are checked against. 404 → undefined.
 */
export async function getUser(transport: HubSpotTransport, userId: string): Promise<CrmUser | undefined> {
  if (!/^\d+$/.test(userId)) return undefined;
  const response = await transport.send({ method: "GET", path: `/settings/v3/users/${userId}` });
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw crmErrorFromResponse(response, `read user ${userId}`);
  const u = response.body as Partial<PublicUser> | undefined;
  if (!u || typeof u.id !== "string")
    throw crmErrorFromResponse(response, `read user ${userId}: no user in the answer`);
  return toCrmUser(u as Partial<PublicUser> & { id: string });
}

/** Every user of the account, `GET /settings/v3/users` page by page (100 a page). */
export async function listUsers(transport: HubSpotTransport): Promise<CrmUser[]> {
  const users: CrmUser[] = [];
  let after: string | undefined;
  do {
    const response = await transport.send({
      method: "GET",
      path: "/settings/v3/users",
      query: { limit: "100", ...(after ? { after } : {}) },
    });
    if (response.status !== 200) throw crmErrorFromResponse(response, "list users");
    const page = response.body as
      { results?: (Partial<PublicUser> & { id: string })[]; paging?: { next?: { after?: string } } } | undefined;
    for (const u of page?.results ?? []) if (typeof u.id === "string") users.push(toCrmUser(u));
    after = page?.paging?.next?.after;
  } while (after);
  return users;
}

function toCrmUser(u: Partial<PublicUser> & { id: string }): CrmUser {
  const roleIds = [...(u.roleIds ?? []), ...(u.roleId ? [u.roleId] : [])].map(String);
  const teamIds = [...(u.primaryTeamId ? [u.primaryTeamId] : []), ...(u.secondaryTeamIds ?? [])].map(String);
  return {
    crm: "hubspot",
    id: String(u.id),
    email: u.email,
    roleIds: [...new Set(roleIds)],
    teamIds: [...new Set(teamIds)],
    superAdmin: u.superAdmin === true,
    permissionSets: [],
  };
}

import { CrmError } from "../errors.js";
import type { UserFreeze } from "../connector.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { queryAll } from "./query-all.js";
import { isSalesforceId, soqlString } from "./soql.js";

/**
 * Freezes or unfreezes a user: its `UserLogin` rows (one per user) get `IsFrozen`. A frozen user
 * can neither log in nor use an existing session, so its API writes are refused by Salesforce
 * itself. Needs "Manage Users" on Tollgate's integration user (docs/operations.md, containment).
 * Reads the state back after the change, so `frozen` is what the org reports, not what was asked.
 */
export async function setUserFrozen(
  transport: SalesforceTransport,
  userId: string,
  frozen: boolean,
): Promise<UserFreeze> {
  if (!isSalesforceId(userId) || !userId.startsWith("005"))
    throw new CrmError("bad_request", { detail: `not a Salesforce user id: ${JSON.stringify(userId)}` });
  const soql = `SELECT Id, IsFrozen FROM UserLogin WHERE UserId = ${soqlString(userId)}`;
  const logins = await queryAll<{ Id: string; IsFrozen: boolean }>(transport, soql);
  if (logins.length === 0) throw new CrmError("not_found", { detail: `no UserLogin for user ${userId}` });
  const wasFrozen = logins.every((l) => l.IsFrozen);
  for (const login of logins.filter((l) => l.IsFrozen !== frozen))
    await transport.send({ method: "PATCH", path: `/sobjects/UserLogin/${login.Id}`, body: { IsFrozen: frozen } });
  const after = await queryAll<{ Id: string; IsFrozen: boolean }>(transport, soql);
  return { userId, wasFrozen, frozen: after.length > 0 && after.every((l) => l.IsFrozen) };
}

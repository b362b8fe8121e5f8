import type { CrmUser, NewCrmTask } from "../connector.js";
import { CrmError } from "../errors.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { queryAll } from "./query-all.js";
import { isSalesforceId } from "./soql.js";

/** How long the org's users and permission set assignments are reused for notifications (approver groups). */
export const USER_DIRECTORY_TTL_MS = 5 * 60_000;

/** Task `Subject` holds 255 characters, `Description` 32,000. */
const SUBJECT_LENGTH = 255;
const DESCRIPTION_LENGTH = 32_000;

/**
 * A Salesforce Task for one user about one record (docs/salesforce.md, approval notifications):
 * `OwnerId` the approver, `WhoId` the record when it is a Lead or Contact (the only "who"
 * objects), else `WhatId`; `ActivityDate` the approval's expiry (a date, in UTC), `Status`
 * `Not Started`, `Priority` `High`. Created by Tollgate's integration user, so it shows in the
 * approver's "My Tasks" and on the record's activity timeline.
 */
export async function createTask(transport: SalesforceTransport, task: NewCrmTask): Promise<string> {
  if (!isSalesforceId(task.userId) || !task.userId.startsWith("005"))
    throw new CrmError("bad_request", { detail: `not a Salesforce user id: ${JSON.stringify(task.userId)}` });
  if (!isSalesforceId(task.objectId))
    throw new CrmError("bad_request", { detail: `not a Salesforce record id: ${JSON.stringify(task.objectId)}` });
  const who = task.objectType === "Lead" || task.objectType === "Contact";
  const created = await transport.send<{ id?: string; success?: boolean }>({
    method: "POST",
    path: "/sobjects/Task",
    body: {
      OwnerId: task.userId,
      ...(who ? { WhoId: task.objectId } : { WhatId: task.objectId }),
      Subject: task.subject.slice(0, SUBJECT_LENGTH),
      Description: task.body.slice(0, DESCRIPTION_LENGTH),
      ActivityDate: task.dueAt.slice(0, 10),
      Status: "Not Started",
      Priority: "High",
    },
  });
  if (!created?.id) throw new CrmError("server_error", { detail: "create Task: no id in the answer" });
  return created.id;
}

/** `PATCH /sobjects/Task/{id}` to `Completed`; a task someone deleted meanwhile is done too. */
export async function completeTask(transport: SalesforceTransport, taskId: string): Promise<void> {
  if (!isSalesforceId(taskId))
    throw new CrmError("bad_request", { detail: `not a Task id: ${JSON.stringify(taskId)}` });
  try {
    await transport.send({ method: "PATCH", path: `/sobjects/Task/${taskId}`, body: { Status: "Completed" } });
  } catch (err) {
    if (err instanceof CrmError && err.crmCode === "not_found") return;
    throw err;
  }
}

/**
 * The org's active users with their permission sets, as approver groups see them (`userIds`,
 * `permissionSets`): two SOQL reads (users, then every assignment), reused for
 * {@link USER_DIRECTORY_TTL_MS} so a burst of approvals does not read them once each.
 */
export function createUserDirectory(
  transport: SalesforceTransport,
  now: () => number,
): { listUsers(): Promise<CrmUser[]> } {
  let cached: { at: number; users: CrmUser[] } | undefined;
  return {
    async listUsers() {
      if (cached && now() - cached.at < USER_DIRECTORY_TTL_MS) return cached.users;
      const users = await queryAll<{ Id: string; Email?: string | null }>(
        transport,
        "SELECT Id, Email FROM User WHERE IsActive = true",
      );
      const assignments = await queryAll<{ AssigneeId: string; PermissionSet?: { Name?: string } | null }>(
        transport,
        "SELECT AssigneeId, PermissionSet.Name FROM PermissionSetAssignment",
      );
      const sets = new Map<string, string[]>();
      for (const a of assignments) {
        const name = a.PermissionSet?.Name;
        if (typeof name !== "string") continue;
        const key = a.AssigneeId.slice(0, 15);
        sets.set(key, [...(sets.get(key) ?? []), name]);
      }
      const list = users.map((u): CrmUser => ({
        crm: "salesforce",
        id: u.Id,
        email: u.Email ?? undefined,
        roleIds: [],
        teamIds: [],
        superAdmin: false,
        permissionSets: sets.get(u.Id.slice(0, 15)) ?? [],
      }));
      cached = { at: now(), users: list };
      return list;
    },
  };
}

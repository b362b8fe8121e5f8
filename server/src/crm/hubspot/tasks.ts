import type { NewCrmTask } from "../connector.js";
import { CrmError } from "../errors.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";

/**
 * A HubSpot task for one user about one record. HubSpot's tasks guide lists the scopes
 * `crm.objects.contacts.read`/`.write` for the tasks endpoints (no tasks-specific scope), which the
 * app requests; owners need `crm.objects.owners.read` (docs/operations.md#approval-notifications).
 * The user's owner record (`GET /crm/v3/owners/{userId}?idProperty=userId`) becomes
 * `hubspot_owner_id`, the task is created (`POST /crm/v3/objects/tasks`) and linked to the record with HubSpot's default
 * association (`PUT /crm/v4/objects/tasks/{id}/associations/default/{type}/{id}`), which exists
 * for every object type. A user with no owner record gets an unassigned task on the record.
 */
export async function createTask(
  transport: HubSpotTransport,
  task: NewCrmTask,
  owners: Map<string, string | null>,
): Promise<string> {
  const ownerId = await ownerOf(transport, task.userId, owners);
  const created = await transport.send({
    method: "POST",
    path: "/crm/v3/objects/tasks",
    body: {
      properties: {
        hs_timestamp: task.dueAt,
        hs_task_subject: task.subject.slice(0, 250),
        hs_task_body: task.body,
        hs_task_status: "NOT_STARTED",
        hs_task_priority: "HIGH",
        hs_task_type: "TODO",
        ...(ownerId ? { hubspot_owner_id: ownerId } : {}),
      },
    },
  });
  if (created.status !== 201 && created.status !== 200) throw crmErrorFromResponse(created, "create task");
  const id = (created.body as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" && typeof id !== "number")
    throw new CrmError("server_error", { status: created.status, detail: "create task: no id in the answer" });
  const objectType = encodeURIComponent(toHubSpotObjectName(task.objectType));
  const linked = await transport.send({
    method: "PUT",
    path: `/crm/v4/objects/tasks/${String(id)}/associations/default/${objectType}/${encodeURIComponent(task.objectId)}`,
  });
  if (linked.status >= 300) throw crmErrorFromResponse(linked, `link task ${String(id)} to ${task.objectType}`);
  return String(id);
}

/** `PATCH /crm/v3/objects/tasks/{id}` to COMPLETED; a task deleted meanwhile (404) is done too. */
export async function completeTask(transport: HubSpotTransport, taskId: string): Promise<void> {
  const response = await transport.send({
    method: "PATCH",
    path: `/crm/v3/objects/tasks/${encodeURIComponent(taskId)}`,
    body: { properties: { hs_task_status: "COMPLETED" } },
  });
  if (response.status === 404 || response.status === 200) return;
  throw crmErrorFromResponse(response, `complete task ${taskId}`);
}

async function ownerOf(
  transport: HubSpotTransport,
  userId: string,
  owners: Map<string, string | null>,
): Promise<string | null> {
  const known = owners.get(userId);
  if (known !== undefined) return known;
  const response = await transport.send({
    method: "GET",
    path: `/crm/v3/owners/${encodeURIComponent(userId)}`,
    query: { idProperty: "userId" },
  });
  if (response.status !== 200 && response.status !== 404) throw crmErrorFromResponse(response, `owner of ${userId}`);
  const id = response.status === 200 ? (response.body as { id?: unknown } | undefined)?.id : undefined;
  const ownerId = typeof id === "string" || typeof id === "number" ? String(id) : null;
  if (owners.size < 10_000) owners.set(userId, ownerId);
  return ownerId;
}

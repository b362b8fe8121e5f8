import { CrmError } from "../errors.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";

/** `POST /crm/v3/objects/{type}` with the property values; HubSpot answers 201 with the new id. */
export async function createRecord(
  transport: HubSpotTransport,
  objectType: string,
  properties: Record<string, string>,
): Promise<string> {
  const type = encodeURIComponent(toHubSpotObjectName(objectType));
  const created = await transport.send({ method: "POST", path: `/crm/v3/objects/${type}`, body: { properties } });
  if (created.status !== 201 && created.status !== 200) throw crmErrorFromResponse(created, `create ${objectType}`);
  const id = (created.body as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" && typeof id !== "number")
    throw new CrmError("server_error", { status: created.status, detail: `create ${objectType}: no id in the answer` });
  return String(id);
}

/** `DELETE /crm/v3/objects/{type}/{id}` (moves it to the recycle bin); 404 means it is already gone. */
export async function archiveRecord(transport: HubSpotTransport, objectType: string, objectId: string): Promise<void> {
  const type = encodeURIComponent(toHubSpotObjectName(objectType));
  const response = await transport.send({
    method: "DELETE",
    path: `/crm/v3/objects/${type}/${encodeURIComponent(objectId)}`,
  });
  if (response.status === 204 || response.status === 200 || response.status === 404) return;
  throw crmErrorFromResponse(response, `archive ${objectType} ${objectId}`);
}

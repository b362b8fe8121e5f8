import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";

/**
 * `GET /crm/v3/properties/{type}/groups/{name}`; on 404, `POST …/groups`. A 409 on create means
 * another installer got there first, which is as good as ours.
 * @returns whether this call created the group
 */
export async function ensurePropertyGroup(
  transport: HubSpotTransport,
  objectType: string,
  group: { name: string; label: string },
): Promise<boolean> {
  const base = `/crm/v3/properties/${encodeURIComponent(toHubSpotObjectName(objectType))}/groups`;
  const found = await transport.send({ method: "GET", path: `${base}/${encodeURIComponent(group.name)}` });
  if (found.status === 200) return false;
  if (found.status !== 404) throw crmErrorFromResponse(found, `read property group ${group.name}`);
  const created = await transport.send({ method: "POST", path: base, body: { name: group.name, label: group.label } });
  if (created.status === 200 || created.status === 201) return true;
  if (created.status === 409) return false;
  throw crmErrorFromResponse(created, `create property group ${group.name}`);
}

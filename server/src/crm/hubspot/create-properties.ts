import type { PropertyDefinition } from "../connector.js";
import { CrmError } from "../errors.js";
import { chunk } from "./chunk.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { crmErrorFromResponse } from "./crm-error-from-response.js";
import { listProperties } from "./list-properties.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotBatchResponse, HubSpotErrorBody, HubSpotProperty } from "./types.js";

const BATCH_CREATE_LIMIT = 100;
/** What HubSpot says when a property name is taken; a concurrent install, not a failure. */
const ALREADY_EXISTS = new Set(["OBJECT_ALREADY_EXISTS", "CONFLICT"]);

/**
 * Creates the properties that do not exist yet; never updates or deletes one (install is
 * idempotent, docs/contracts.md#fields-the-app-installs). Lists first, so a re-run makes one call; then
 * `POST /crm/v3/properties/{type}/batch/create`. If HubSpot refuses the whole batch because a
 * name was taken meanwhile, each is created alone and "already exists" is accepted.
 */
export async function createProperties(
  transport: HubSpotTransport,
  objectType: string,
  properties: readonly PropertyDefinition[],
): Promise<void> {
  const type = encodeURIComponent(toHubSpotObjectName(objectType));
  const existing = new Set((await listProperties(transport, objectType)).map((p) => p.name));
  const missing = properties.filter((p) => !existing.has(p.name));
  for (const batch of chunk(missing, BATCH_CREATE_LIMIT)) {
    const response = await transport.send({
      method: "POST",
      path: `/crm/v3/properties/${type}/batch/create`,
      body: { inputs: batch.map(toCreateInput) },
    });
    if (response.status === 200 || response.status === 201 || response.status === 207) {
      const errors = (response.body as HubSpotBatchResponse<HubSpotProperty> | undefined)?.errors ?? [];
      const real = errors.filter((e) => !isAlreadyExists(e));
      if (real.length > 0)
        throw new CrmError("bad_request", {
          status: response.status,
          detail: `create properties on ${objectType}: ${real.map((e) => e.message).join("; ")}`,
        });
      continue;
    }
    if (response.status !== 409) throw crmErrorFromResponse(response, `create properties on ${objectType}`);
    for (const property of batch) {
      const one = await transport.send({
        method: "POST",
        path: `/crm/v3/properties/${type}`,
        body: toCreateInput(property),
      });
      if (one.status === 200 || one.status === 201 || one.status === 409) continue;
      throw crmErrorFromResponse(one, `create property ${property.name} on ${objectType}`);
    }
  }
}

function isAlreadyExists(error: HubSpotErrorBody): boolean {
  return ALREADY_EXISTS.has(error.category ?? "");
}

/** `PropertyDefinition` → HubSpot `PropertyCreate` (name, label, type, fieldType, groupName required). */
function toCreateInput(p: PropertyDefinition): Record<string, unknown> {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
    ...(p.description === undefined ? {} : { description: p.description }),
    ...(p.options === undefined
      ? {}
      : {
          options: p.options.map((o, i) => ({
            label: o.label,
            value: o.value,
            hidden: o.hidden ?? false,
            displayOrder: o.displayOrder ?? i,
          })),
        }),
  };
}

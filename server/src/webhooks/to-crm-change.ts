import { toStoredHubSpotObjectType } from "../../../shared/index.js";
import type { CrmChange } from "../enforce/index.js";
import type { HubSpotChange } from "./events.js";

/** A normalised HubSpot webhook change as enforcement sees it. */
export function toCrmChange(c: HubSpotChange): CrmChange {
  return {
    tenantId: c.tenantId,
    crm: "hubspot",
    objectType: toStoredHubSpotObjectType(c.crmObjectType),
    policyObject: c.objectType ?? undefined,
    objectId: c.objectId,
    kind: c.kind,
    property: c.property,
    value: c.value ?? null,
    occurredAt: new Date(c.occurredAt),
    eventKey: c.dedupeKey,
    sourceEventId: c.eventId,
    ...(c.sensitive ? { sensitive: true } : {}),
    source: { changeSource: c.changeSource, sourceId: c.sourceId },
  };
}

import { HUBSPOT_OBJECTS } from "../../../shared/crm-objects.js";
import type { CrmChange } from "../enforce/index.js";
import type { HubSpotChange } from "../webhooks/index.js";

const NAME_BY_TYPE_ID = new Map(Object.values(HUBSPOT_OBJECTS).map((o) => [o!.typeId, o!.name]));

/**
 * HubSpot's object type id (`0-1`) → the API name Tollgate stores and the cards ask with
 * (`contacts`); custom objects keep their id.
 */
export function normalizeHubSpotObjectType(objectType: string): string {
  return NAME_BY_TYPE_ID.get(objectType) ?? objectType.toLowerCase();
}

/** A normalised HubSpot webhook change as enforcement sees it. */
export function toCrmChange(c: HubSpotChange): CrmChange {
  return {
    tenantId: c.tenantId,
    crm: "hubspot",
    objectType: normalizeHubSpotObjectType(c.crmObjectType),
    policyObject: c.objectType ?? undefined,
    objectId: c.objectId,
    kind: c.kind,
    property: c.property,
    value: c.value ?? null,
    occurredAt: new Date(c.occurredAt),
    eventKey: c.dedupeKey,
    sourceEventId: c.eventId,
    source: { changeSource: c.changeSource, sourceId: c.sourceId },
  };
}

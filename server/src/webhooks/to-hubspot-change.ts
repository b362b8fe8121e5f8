import { HUBSPOT_OBJECTS, toPolicyObject, type PolicyObject } from "../../../shared/index.js";
import { HUBSPOT_SUBSCRIPTION_TYPES, type ChangeKind, type HubSpotChange, type HubSpotWebhookEvent } from "./events.js";

const KIND_OF_ACTION: Record<string, ChangeKind> = {
  propertyChange: "property_change",
  creation: "creation",
  deletion: "deletion",
  // A GDPR deletion removes the record like any deletion; `subscriptionType` still tells them apart.
  privacyDeletion: "deletion",
  merge: "merge",
  associationChange: "association",
};

const str = (v: string | number | undefined | null): string | undefined =>
  v === undefined || v === null ? undefined : String(v);

// Looked up once per event on the ingest path, so built once here.
const TYPE_ID_OF_LEGACY = new Map(
  Object.values(HUBSPOT_OBJECTS).flatMap((o) => (o?.legacy ? [[o.legacy, o.typeId] as const] : [])),
);
const policyObjects = new Map<string, PolicyObject | null>();
const policyObjectOf = (crmObjectType: string): PolicyObject | null => {
  let found = policyObjects.get(crmObjectType);
  if (found === undefined) {
    found = toPolicyObject("hubspot", crmObjectType) ?? null;
    // Custom object ids are unbounded in number; only the known ones are worth remembering.
    if (found !== null) policyObjects.set(crmObjectType, found);
  }
  return found;
};

const splitSubscriptionType = (subscriptionType: string): { scope: string; kind: ChangeKind } => {
  const [scope, action] = subscriptionType.split(".") as [string, string];
  return { scope, kind: KIND_OF_ACTION[action] ?? "other" };
};
// Split once per known type, not once per event.
const TYPE_PARTS = new Map(HUBSPOT_SUBSCRIPTION_TYPES.map((t) => [t, splitSubscriptionType(t)]));

/** HubSpot's type id for a legacy prefix (`contact` → `0-1`), so both subscription styles name objects alike. */
function crmObjectTypeOf(e: HubSpotWebhookEvent, scope: string): string {
  if (scope === "object") return e.objectTypeId ?? e.fromObjectTypeId!;
  return TYPE_ID_OF_LEGACY.get(scope) ?? scope;
}

/**
 * The redelivery key. HubSpot says `eventId` alone is not guaranteed unique (docs/architecture.md#the-flow), so
 * the key adds portal, subscription, object, property and `occurredAt`; `attemptNumber` is
 * left out on purpose, since a retry must map to the same key. An association has no
 * property, so its other end stands in for one.
 */
export function getDedupeKey(e: HubSpotWebhookEvent, crmObjectType: string, objectId: string): string {
  const detail =
    e.propertyName ??
    (e.toObjectId !== undefined
      ? `${e.associationType ?? ""}>${String(e.toObjectId)}:${e.associationRemoved ? "removed" : "added"}`
      : "");
  return `${e.portalId}|${e.eventId}|${e.subscriptionType}|${crmObjectType}|${objectId}|${detail}|${e.occurredAt}`;
}

/**
 * The key `getDedupeKey` gave a change, rebuilt from the change itself, so compact jobs need
 * not carry it. Equal for every change `toHubSpotChange` makes, except an event that is not
 * an association yet names a `toObjectId`; `encodeWebhookJob` stores the key for those.
 */
export function getChangeDedupeKey(c: HubSpotChange): string {
  const a = c.association;
  const detail =
    c.property ??
    (a !== undefined ? `${a.associationType ?? ""}>${a.toObjectId}:${a.removed ? "removed" : "added"}` : "");
  return `${c.tenantId}|${c.eventId}|${c.subscriptionType}|${c.crmObjectType}|${c.objectId}|${detail}|${c.occurredAt}`;
}

/** What names one validated event's record: its kind, HubSpot object type id and record id. */
function identify(e: HubSpotWebhookEvent): { kind: ChangeKind; crmObjectType: string; objectId: string } {
  const { scope, kind } = TYPE_PARTS.get(e.subscriptionType) ?? splitSubscriptionType(e.subscriptionType);
  // The schema guarantees one of these per kind (objectId, or fromObjectId for associations).
  const objectId = String(e.objectId ?? (kind === "association" ? e.fromObjectId : e.primaryObjectId));
  return { kind, crmObjectType: crmObjectTypeOf(e, scope), objectId };
}

/** The dedupe key `toHubSpotChange` gives a validated event, without the rest of the change. Pure. */
export function getEventDedupeKey(e: HubSpotWebhookEvent): string {
  const { crmObjectType, objectId } = identify(e);
  return getDedupeKey(e, crmObjectType, objectId);
}

/** Normalises one validated HubSpot event; pure. */
export function toHubSpotChange(e: HubSpotWebhookEvent): HubSpotChange {
  const { kind, crmObjectType, objectId } = identify(e);
  const change: HubSpotChange = {
    crm: "hubspot",
    tenantId: String(e.portalId),
    subscriptionType: e.subscriptionType,
    kind,
    objectType: policyObjectOf(crmObjectType),
    crmObjectType,
    objectId,
    occurredAt: e.occurredAt,
    eventId: String(e.eventId),
    dedupeKey: getDedupeKey(e, crmObjectType, objectId),
  };
  if (e.propertyName !== undefined) change.property = e.propertyName;
  if (e.propertyValue !== undefined) change.value = e.propertyValue;
  if (e.changeSource !== undefined) change.changeSource = e.changeSource;
  if (e.sourceId !== undefined) change.sourceId = String(e.sourceId);
  if (e.appId !== undefined) change.appId = String(e.appId);
  if (e.attemptNumber !== undefined) change.attemptNumber = e.attemptNumber;
  if (e.isSensitive !== undefined) change.sensitive = e.isSensitive;
  if (kind === "merge") {
    change.merge = {
      primaryObjectId: str(e.primaryObjectId),
      mergedObjectIds: (e.mergedObjectIds ?? []).map(String),
      newObjectId: e.newObjectId === undefined ? undefined : (str(e.newObjectId) ?? null),
      numberOfPropertiesMoved: e.numberOfPropertiesMoved,
    };
  }
  if (kind === "association") {
    change.association = {
      associationType: e.associationType,
      fromObjectId: String(e.fromObjectId),
      toObjectId: String(e.toObjectId),
      toObjectType: e.toObjectTypeId,
      removed: e.associationRemoved ?? false,
      primary: e.isPrimaryAssociation,
    };
  }
  return change;
}

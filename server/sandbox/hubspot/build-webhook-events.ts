import { toHubSpotLegacyName, toHubSpotObjectName, toHubSpotObjectTypeId } from "../../src/crm/hubspot/index.js";
import { SANDBOX_OBJECT_TYPES } from "./default-properties.js";
import type { StoreChange } from "./record-store.js";
import { sourceOf } from "./record-store.js";
import { LEGACY_OBJECTS, type SandboxSubscription, type SandboxWebhookEvent } from "./types.js";

export interface ResolvedSubscription {
  id: number;
  subscriptionType: SandboxSubscription["subscriptionType"];
  objectType: string;
  kind: "creation" | "propertyChange";
  propertyName: string | undefined;
}

/** Expands the `subscriptions` option into one entry per (type, object, property), with ids. */
export function resolveSubscriptions(
  option: "all" | "all-legacy" | SandboxSubscription[] | undefined,
): ResolvedSubscription[] {
  const list: SandboxSubscription[] = Array.isArray(option)
    ? option
    : SANDBOX_OBJECT_TYPES.flatMap((objectType) => everything(objectType, option === "all-legacy"));
  return list.map((s, i) => {
    const [prefix, kind] = s.subscriptionType.split(".") as [string, "creation" | "propertyChange"];
    const objectType = toHubSpotObjectName(prefix === "object" ? (s.objectType ?? "") : prefix);
    return {
      id: s.id ?? 1000 + i,
      subscriptionType: s.subscriptionType,
      objectType,
      kind,
      propertyName: s.propertyName,
    };
  });
}

function everything(objectType: string, legacy: boolean): SandboxSubscription[] {
  const legacyName = toHubSpotLegacyName(objectType);
  if (legacy && legacyName && (LEGACY_OBJECTS as readonly string[]).includes(legacyName)) {
    const l = legacyName as (typeof LEGACY_OBJECTS)[number];
    return [{ subscriptionType: `${l}.creation` }, { subscriptionType: `${l}.propertyChange` }];
  }
  return [
    { subscriptionType: "object.creation", objectType },
    { subscriptionType: "object.propertyChange", objectType },
  ];
}

/**
 * One event per (change, matching subscription), shaped as HubSpot sends them: `changeSource`
 * and `sourceId` say who wrote (`INTEGRATION` + app id, `CRM_UI` + `userId:<id>`); generic
 * `object.*` events carry `objectTypeId` and `isSensitive` (true for a property HubSpot's Sensitive
 * Data marks `sensitive` or `highly_sensitive`).
 */
export function buildWebhookEvents(
  changes: readonly StoreChange[],
  subscriptions: readonly ResolvedSubscription[],
  context: {
    portalId: number;
    appId: number;
    nextEventId: () => number;
    /** The property's Sensitive Data mark: generic events carry it as `isSensitive`. */
    isSensitive?: (objectType: string, propertyName: string) => boolean;
  },
): SandboxWebhookEvent[] {
  const events: SandboxWebhookEvent[] = [];
  for (const change of changes) {
    for (const sub of subscriptions) {
      if (sub.objectType !== change.objectType || sub.kind !== change.kind) continue;
      if (
        change.kind === "propertyChange" &&
        sub.propertyName !== undefined &&
        sub.propertyName !== change.propertyName
      )
        continue;
      const source = sourceOf(change.actor);
      const generic = sub.subscriptionType.startsWith("object.");
      const event: SandboxWebhookEvent = {
        eventId: context.nextEventId(),
        subscriptionId: sub.id,
        portalId: context.portalId,
        appId: context.appId,
        occurredAt: change.occurredAt,
        subscriptionType: sub.subscriptionType,
        attemptNumber: 0,
        objectId: Number(change.objectId),
        changeSource: source.sourceType,
        ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
        ...(generic ? { objectTypeId: toHubSpotObjectTypeId(change.objectType) } : {}),
      };
      if (change.kind === "propertyChange") {
        event.propertyName = change.propertyName;
        event.propertyValue = change.value;
        if (generic) event.isSensitive = context.isSensitive?.(change.objectType, change.propertyName) ?? false;
      } else {
        event.changeFlag = generic ? "CREATED" : "NEW";
      }
      events.push(event);
    }
  }
  return events;
}

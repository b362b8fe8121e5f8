import { HUBSPOT_SUBSCRIPTION_TYPES, getEventShapeIssues, type HubSpotWebhookEvent } from "./events.js";

// The same rules as `hubSpotWebhookEventBaseSchema`, written out by hand. zod walks every
// field through its generic machinery and copies the object; on a batch of 100 events that
// was the largest CPU cost of the request after Redis (bench/webhook-ingest.ts). zod stays
// the reference: anything this check refuses is handed to the schema, which says why.

type Rule = (v: unknown) => boolean;

const SUBSCRIPTION_TYPES: ReadonlySet<unknown> = new Set(HUBSPOT_SUBSCRIPTION_TYPES);
const DIGITS = /^\d+$/;
const TYPE_ID = /^\d+-\d+$/;

// `z.number().int()` means a safe integer in zod 4.
const isInt: Rule = (v) => Number.isSafeInteger(v);
const isCount: Rule = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isCrmId: Rule = (v) => (typeof v === "string" ? DIGITS.test(v) : isCount(v));
const isTypeId: Rule = (v) => typeof v === "string" && TYPE_ID.test(v);
const isString: Rule = (v) => typeof v === "string";
const isBoolean: Rule = (v) => typeof v === "boolean";
/** zod's `.optional()`: an absent field (`undefined`) passes. */
const optional = (v: unknown, rule: Rule): boolean => v === undefined || rule(v);
/** zod's `.nullable().optional()`. */
const optionalOrNull = (v: unknown, rule: Rule): boolean => v === undefined || v === null || rule(v);

// Field by field as in `hubSpotWebhookEventBaseSchema`. Named reads, not a loop over a field
// list: events parsed from one body share a shape, so each read stays a monomorphic inline
// cache, where a keyed read per field name made this check twice as slow.
const hasValidFields = (e: Record<string, unknown>): boolean =>
  isCrmId(e.eventId) &&
  optional(e.subscriptionId, isInt) &&
  isCrmId(e.portalId) &&
  optional(e.appId, isCrmId) &&
  isCount(e.occurredAt) &&
  SUBSCRIPTION_TYPES.has(e.subscriptionType) &&
  optional(e.attemptNumber, isCount) &&
  optional(e.objectId, isCrmId) &&
  optional(e.objectTypeId, isTypeId) &&
  optional(e.propertyName, (v) => typeof v === "string" && v.length > 0) &&
  optionalOrNull(e.propertyValue, isString) &&
  optional(e.changeSource, isString) &&
  optional(e.sourceId, (v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) &&
  optional(e.changeFlag, isString) &&
  optional(e.isSensitive, isBoolean) &&
  optional(e.primaryObjectId, isCrmId) &&
  optional(e.mergedObjectIds, (v) => Array.isArray(v) && v.every(isCrmId)) &&
  optionalOrNull(e.newObjectId, isCrmId) &&
  optional(e.numberOfPropertiesMoved, isCount) &&
  optional(e.associationType, isString) &&
  optional(e.fromObjectId, isCrmId) &&
  optional(e.toObjectId, isCrmId) &&
  optional(e.fromObjectTypeId, isTypeId) &&
  optional(e.toObjectTypeId, isTypeId) &&
  optional(e.associationRemoved, isBoolean) &&
  optional(e.isPrimaryAssociation, isBoolean);

/**
 * True only when `hubSpotWebhookEventSchema` would accept the event as it is (the fields
 * HubSpot documents, and what its subscription type needs). False means "ask zod": the
 * schema then gives the issues (or, for odd inputs this check does not bother with,
 * accepts). Pure; the event is not copied, and zod would return an equal object.
 */
export function isValidHubSpotEvent(event: unknown): event is HubSpotWebhookEvent {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  return hasValidFields(e) && getEventShapeIssues(e as HubSpotWebhookEvent).length === 0;
}

import { z } from "zod";
import { POLICY_OBJECTS } from "../../../shared/index.js";

/**
 * Subscription types Tollgate understands. Legacy ones name the object in the prefix; the
 * generic `object.*` ones carry `objectTypeId` (`0-1`) instead.
 * @see https://developers.hubspot.com/docs/api/webhooks
 * @see https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions
 */
export const HUBSPOT_SUBSCRIPTION_TYPES = [
  "contact.creation",
  "contact.deletion",
  "contact.propertyChange",
  "contact.merge",
  "contact.associationChange",
  "contact.restore",
  "contact.privacyDeletion",
  "company.creation",
  "company.deletion",
  "company.propertyChange",
  "company.merge",
  "company.associationChange",
  "company.restore",
  "deal.creation",
  "deal.deletion",
  "deal.propertyChange",
  "deal.merge",
  "deal.associationChange",
  "deal.restore",
  "object.creation",
  "object.deletion",
  "object.propertyChange",
  "object.merge",
  "object.associationChange",
  "object.restore",
] as const;
export type HubSpotSubscriptionType = (typeof HUBSPOT_SUBSCRIPTION_TYPES)[number];

/** What happened, whatever the subscription's spelling. */
export const CHANGE_KINDS = ["property_change", "creation", "deletion", "merge", "association", "other"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** HubSpot sends ids as JSON numbers; a numeric string is accepted too. Normalised to a string. */
const crmId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "must be a numeric id")]);
const objectTypeId = z.string().regex(/^\d+-\d+$/, "must look like 0-1");

/**
 * The fields of a webhook event HubSpot documents, without the per-type rules of
 * `getEventShapeIssues` (the ingest path runs both). Unknown fields are kept: HubSpot adds
 * fields without notice.
 */
export const hubSpotWebhookEventBaseSchema = z.looseObject({
  eventId: crmId,
  subscriptionId: z.number().int().optional(),
  portalId: crmId,
  appId: crmId.optional(),
  /** Epoch ms. */
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.enum(HUBSPOT_SUBSCRIPTION_TYPES),
  /** Starts at 0. */
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: crmId.optional(),
  objectTypeId: objectTypeId.optional(),
  propertyName: z.string().min(1).optional(),
  /** The new value; HubSpot sends strings, `""` when cleared. */
  propertyValue: z.string().nullable().optional(),
  changeSource: z.string().optional(),
  /** `userId:<id>` for UI edits, the writing app's id for `INTEGRATION`. */
  sourceId: z.union([z.string(), z.number()]).optional(),
  changeFlag: z.string().optional(),
  isSensitive: z.boolean().optional(),
  primaryObjectId: crmId.optional(),
  mergedObjectIds: z.array(crmId).optional(),
  newObjectId: crmId.nullable().optional(),
  numberOfPropertiesMoved: z.number().int().nonnegative().optional(),
  associationType: z.string().optional(),
  fromObjectId: crmId.optional(),
  toObjectId: crmId.optional(),
  fromObjectTypeId: objectTypeId.optional(),
  toObjectTypeId: objectTypeId.optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
});

/**
 * What each subscription type needs beyond the common fields (a property name on a
 * propertyChange, both ends of an association, an object id elsewhere). A plain function
 * rather than a zod refinement on the hot path: the refinement costs more than the rest of
 * the schema together, and a batch holds up to 100 events.
 */
export function getEventShapeIssues(
  e: z.infer<typeof hubSpotWebhookEventBaseSchema>,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const dot = e.subscriptionType.indexOf(".");
  const generic = e.subscriptionType.startsWith("object.");
  const action = e.subscriptionType.slice(dot + 1);
  const required = `required for ${e.subscriptionType}`;
  if (action === "propertyChange" && e.propertyName === undefined)
    issues.push({ path: "propertyName", message: required });
  if (action === "associationChange") {
    if (e.fromObjectId === undefined) issues.push({ path: "fromObjectId", message: required });
    if (e.toObjectId === undefined) issues.push({ path: "toObjectId", message: required });
    if (generic && e.objectTypeId === undefined && e.fromObjectTypeId === undefined) {
      issues.push({ path: "objectTypeId", message: "required for object.* events (or fromObjectTypeId)" });
    }
  } else {
    if (e.objectId === undefined && !(action === "merge" && e.primaryObjectId !== undefined))
      issues.push({ path: "objectId", message: required });
    if (generic && e.objectTypeId === undefined)
      issues.push({ path: "objectTypeId", message: "required for object.* events" });
  }
  return issues;
}

/**
 * One event of a HubSpot webhook batch, with the fields HubSpot documents typed and anything
 * else kept (HubSpot adds fields without notice; rejecting them would drop real changes).
 */
export const hubSpotWebhookEventSchema = hubSpotWebhookEventBaseSchema.superRefine((e, ctx) => {
  for (const issue of getEventShapeIssues(e))
    ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
});
export type HubSpotWebhookEvent = z.infer<typeof hubSpotWebhookEventSchema>;

/**
 * HubSpot sends at most 100 events per request; the envelope tolerates up to 1,000 so a
 * change on HubSpot's side degrades into bigger jobs rather than refused deliveries.
 */
export const HUBSPOT_BATCH_MAX = 1000;

/** A whole batch where every event must be valid (the middleware checks events one by one). */
export const hubSpotWebhookBatchSchema = z.array(hubSpotWebhookEventSchema).min(1).max(HUBSPOT_BATCH_MAX);

/**
 * A HubSpot event as the rest of Tollgate sees it: tenant-scoped, object named both ways,
 * ids as strings, and the key that makes redeliveries recognisable. Crosses Redis as job
 * data, so it is a schema (the worker re-validates it).
 */
export const hubSpotChangeSchema = z.object({
  crm: z.literal("hubspot"),
  /** `String(portalId)`. */
  tenantId: z.string().min(1),
  subscriptionType: z.enum(HUBSPOT_SUBSCRIPTION_TYPES),
  kind: z.enum(CHANGE_KINDS),
  /** The policy's generic name (`contact`), or null for an object no policy governs. */
  objectType: z.enum(POLICY_OBJECTS).nullable(),
  /** HubSpot's object type id (`0-1`), usable in API paths; a legacy `contact.*` event maps to `0-1`. */
  crmObjectType: z.string().min(1),
  objectId: z.string().min(1),
  property: z.string().optional(),
  /** The new value (`propertyValue`). */
  value: z.string().nullable().optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
  /** The receiving app (ours). */
  appId: z.string().optional(),
  /** Epoch ms, as HubSpot sent it; order events by this, not by arrival. */
  occurredAt: z.number().int(),
  eventId: z.string(),
  attemptNumber: z.number().int().optional(),
  sensitive: z.boolean().optional(),
  merge: z
    .object({
      primaryObjectId: z.string().optional(),
      mergedObjectIds: z.array(z.string()),
      newObjectId: z.string().nullable().optional(),
      numberOfPropertiesMoved: z.number().optional(),
    })
    .optional(),
  association: z
    .object({
      associationType: z.string().optional(),
      fromObjectId: z.string(),
      toObjectId: z.string(),
      toObjectType: z.string().optional(),
      removed: z.boolean(),
      primary: z.boolean().optional(),
    })
    .optional(),
  /**
   * portal | eventId | subscriptionType | object type | object | property | occurredAt (docs/architecture.md#the-flow).
   */
  dedupeKey: z.string().min(1),
});
export type HubSpotChange = z.infer<typeof hubSpotChangeSchema>;

/**
 * One tenant's share of one webhook batch, as the worker's handler gets it. Jobs queued before
 * compact rows existed were stored in exactly this shape, and are still read.
 */
export const webhookJobSchema = z
  .object({ tenantId: z.string().min(1), changes: z.array(hubSpotChangeSchema).min(1) })
  .refine((job) => job.changes.every((c) => c.tenantId === job.tenantId), {
    message: "every change must belong to the job's tenant",
    path: ["changes"],
  });
export type WebhookJob = z.infer<typeof webhookJobSchema>;

/**
 * The optional parts of a change in a compact row, in row order. `dedupeKey` is listed only
 * when it differs from the key the change's own fields give (`getChangeDedupeKey`).
 */
export const COMPACT_OPTIONAL_FIELDS = [
  "property",
  "value",
  "changeSource",
  "sourceId",
  "appId",
  "attemptNumber",
  "sensitive",
  "merge",
  "association",
  "dedupeKey",
] as const;

/**
 * How a webhook job is stored in Redis: one row per change,
 * `[subscriptionType, kind, objectType, crmObjectType, objectId, occurredAt, eventId, mask, ...optional]`,
 * where bit i of `mask` says `COMPACT_OPTIONAL_FIELDS[i]` is present and its value follows,
 * in field order. `crm` and `tenantId` are the job's. Why: the verbose form repeated every
 * key and the dedupe key in each change, 45 KB for 100 events; serialising, sending and
 * storing it was the largest cost of the webhook request (bench/webhook-ingest.ts). The
 * worker decodes rows back into `HubSpotChange`s (`decodeWebhookJob`) and validates them.
 *
 * `v: 3` adds `strings`: the fields in `COMPACT_INTERNED_FIELDS` hold an index into it
 * instead of the string, since a batch repeats the same few subscription types, object
 * types, properties and sources in every row (16 KB → 7 KB for 100 property changes, and
 * BullMQ's `JSON.stringify` of it at half the cost). `v: 2` jobs (no `strings`) still decode.
 */
export const compactWebhookJobSchema = z.union([
  z.object({ tenantId: z.string().min(1), v: z.literal(2), rows: z.array(z.array(z.unknown())).min(1) }),
  z.object({
    tenantId: z.string().min(1),
    v: z.literal(3),
    strings: z.array(z.string()),
    rows: z.array(z.array(z.unknown())).min(1),
  }),
]);
export type CompactWebhookJob = z.infer<typeof compactWebhookJobSchema>;

/** The fields a `v: 3` row stores as an index into the job's `strings` (when not `null`). */
export const COMPACT_INTERNED_FIELDS = [
  "subscriptionType",
  "kind",
  "objectType",
  "crmObjectType",
  "property",
  "changeSource",
  "sourceId",
  "appId",
] as const;

import { z } from "zod";
import {
  HUBSPOT_BATCH_MAX,
  getEventShapeIssues,
  hubSpotWebhookEventBaseSchema,
  type HubSpotChange,
  type HubSpotWebhookEvent,
} from "./events.js";
import { isValidHubSpotEvent } from "./is-valid-hubspot-event.js";
import { toHubSpotChange } from "./to-hubspot-change.js";

/** A validation problem, located like zod's issues (`"2.objectId"`: event 2, field objectId). */
export interface BatchIssue {
  path: string;
  message: string;
}

/** An event of an otherwise accepted batch that did not validate. */
export interface RejectedEvent {
  index: number;
  eventId?: string;
  subscriptionType?: string;
  issues: BatchIssue[];
}

export type ParsedBatch =
  | { ok: true; changes: HubSpotChange[]; rejected: RejectedEvent[] }
  /** The envelope itself is wrong (not an array, empty, too long): nothing is usable. */
  | { ok: false; issues: BatchIssue[] };

/** The same verdict as `ParsedBatch`, the valid events not yet normalised to changes. */
export type ValidatedBatch =
  { ok: true; events: HubSpotWebhookEvent[]; rejected: RejectedEvent[] } | { ok: false; issues: BatchIssue[] };

const envelopeSchema = z.array(z.unknown()).min(1).max(HUBSPOT_BATCH_MAX);

const toIssues = (error: z.ZodError, prefix: (string | number)[] = []): BatchIssue[] =>
  error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join("."), message: i.message }));

const peek = (event: unknown, key: string): string | undefined => {
  if (typeof event !== "object" || event === null) return undefined;
  const v = (event as Record<string, unknown>)[key];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
};

/**
 * Validates a parsed webhook body event by event, so one bad event does not hold back the
 * valid ones of its batch (docs/architecture.md#how-the-code-reads: aggregate, don't stop at the first failure), and
 * normalises the valid ones to changes. Pure.
 */
export function parseHubSpotBatch(body: unknown): ParsedBatch {
  const validated = validateHubSpotBatch(body);
  return validated.ok
    ? { ok: true, changes: validated.events.map(toHubSpotChange), rejected: validated.rejected }
    : validated;
}

/** `parseHubSpotBatch` without the normalising: the intake keeps one portal's batch as received. Pure. */
export function validateHubSpotBatch(body: unknown): ValidatedBatch {
  let events: unknown[];
  if (Array.isArray(body) && body.length >= 1 && body.length <= HUBSPOT_BATCH_MAX) events = body;
  else {
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) return { ok: false, issues: toIssues(envelope.error) };
    events = envelope.data;
  }
  const valid: HubSpotWebhookEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    // The hand-written check passes nearly every event; zod decides (and explains) the rest.
    if (isValidHubSpotEvent(event)) {
      valid.push(event);
      continue;
    }
    // Same rules as hubSpotWebhookEventSchema, run as two steps because the refinement is slow in zod.
    const parsed = hubSpotWebhookEventBaseSchema.safeParse(event);
    const issues = parsed.success
      ? getEventShapeIssues(parsed.data).map((i) => ({ path: `${index}.${i.path}`, message: i.message }))
      : toIssues(parsed.error, [index]);
    if (parsed.success && issues.length === 0) {
      valid.push(parsed.data);
      continue;
    }
    const entry: RejectedEvent = { index, issues };
    const eventId = peek(event, "eventId");
    const subscriptionType = peek(event, "subscriptionType");
    if (eventId !== undefined) entry.eventId = eventId;
    if (subscriptionType !== undefined) entry.subscriptionType = subscriptionType;
    rejected.push(entry);
  }
  return { ok: true, events: valid, rejected };
}

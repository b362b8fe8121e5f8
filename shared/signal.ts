import { z } from "zod";

/**
 * docs/contracts.md (contract): `POST /v1/signals` — what the sending system reports back about mail an
 * agent sent (role `operator`). Signals feed the bounce and complaint triggers, the governance
 * metrics, and the gate's suppression check (an unsubscribed or complaining recipient is not
 * sent to again).
 */
export const SIGNAL_TYPES = ["bounce", "complaint", "unsubscribe", "reply"] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/**
 * The `kill_switch_triggers` metrics delivery signals measure (docs/policy.md):
 * - `bounce_rate_percent`: bounces per 100 sends the gate permitted, over the last hour; fewer
 *   than 20 sends count as 20, so a handful of bounces on little volume still trips;
 * - `complaints_per_day`: complaints over the last 24 hours;
 * - `unsubscribes_per_day`: unsubscribes over the last 24 hours.
 */
export const SIGNAL_TRIGGER_METRICS = ["bounce_rate_percent", "complaints_per_day", "unsubscribes_per_day"] as const;
export type SignalTriggerMetric = (typeof SIGNAL_TRIGGER_METRICS)[number];

export const signalSchema = z.strictObject({
  type: z.enum(SIGNAL_TYPES),
  /** The audit event of the send (its permit's `eventId`), when the sending system kept it. */
  eventId: z.string().trim().min(1).max(200).optional(),
  agentId: z.string().trim().min(1).max(200).optional(),
  recipient: z.email("expected an email address").max(320),
  /** The sending domain. */
  domain: z.string().trim().min(1).max(253).optional(),
  occurredAt: z.iso.datetime({ offset: true, error: "expected an ISO-8601 date-time" }),
});
export type Signal = z.infer<typeof signalSchema>;

/** One signal, or up to 1,000 at once. */
export const signalBodySchema = z.union([
  signalSchema,
  z.strictObject({ signals: z.array(signalSchema).min(1).max(1000) }),
]);

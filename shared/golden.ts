import { z } from "zod";
import { OUTCOMES } from "./decision.js";

/**
 * docs/contracts.md "Golden records and safe mode" (contract): a tenant's regression set of
 * recorded agent actions with the decision each must keep, the owner's override of a refusal, and
 * an agent's time-boxed safe mode.
 */

/** An owner's reason to go ahead although golden records would change (`PUT /v1/policy`, `PUT /v1/kill-switches`). */
export const goldenOverrideSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(3, "give a reason of at least 3 characters")
    .max(500, "expected at most 500 characters"),
});
export type GoldenOverride = z.infer<typeof goldenOverrideSchema>;

export const goldenRecordInputSchema = z.strictObject({
  /** The audit event of the recorded agent action. */
  eventId: z.string().trim().min(1, "expected the audit event id"),
  /** The decision it must keep. */
  expect: z.enum(OUTCOMES),
  note: z.string().max(500).optional(),
});
export type GoldenRecordInput = z.infer<typeof goldenRecordInputSchema>;

/** `POST /v1/golden`: one record, or a set (the YAML file's `records`, or its text as `yaml`). */
export const goldenAddBodySchema = z.union([
  goldenRecordInputSchema,
  z.strictObject({ records: z.array(goldenRecordInputSchema).min(1).max(1000) }),
  z.strictObject({ yaml: z.string().min(1, "expected the golden records YAML") }),
]);

export const goldenDecisionSchema = z.object({
  outcome: z.string(),
  tier: z.number().int().nullable(),
  ruleId: z.string().nullable(),
  reasons: z.array(z.string()),
});

/** A golden record whose decision would change: what it must be, what it would be. */
export const goldenBreakSchema = z.object({
  eventId: z.string(),
  agentId: z.string(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  field: z.string().nullable(),
  note: z.string().nullable(),
  expected: z.string(),
  actual: goldenDecisionSchema,
});
export type GoldenBreak = z.infer<typeof goldenBreakSchema>;

export const goldenRecordSchema = z.object({
  eventId: z.string(),
  agentId: z.string(),
  action: z.string(),
  expected: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type GoldenRecord = z.infer<typeof goldenRecordSchema>;

const durationText = z.string().regex(/^\d+(m|h|d)$/, "expected a duration such as 30m, 48h or 14d");

/** `PUT /v1/safe-modes`: hold an agent's tier-2 writes for a person until `until` (or for `for`). */
export const safeModeRequestSchema = z
  .strictObject({
    agentId: z.string().trim().min(1, "expected the agent id"),
    until: z.iso.datetime({ offset: true, error: "expected an ISO-8601 date-time" }).optional(),
    for: durationText.optional(),
    /** `off` ends it before it expires. @defaultValue "on" */
    state: z.enum(["on", "off"]).default("on"),
    reason: z
      .string()
      .trim()
      .min(3, "give a reason of at least 3 characters")
      .max(500, "expected at most 500 characters"),
  })
  .refine((r) => r.state === "off" || (r.until === undefined) !== (r.for === undefined), {
    error: "give exactly one of until or for",
    path: ["until"],
  });
export type SafeModeRequest = z.infer<typeof safeModeRequestSchema>;

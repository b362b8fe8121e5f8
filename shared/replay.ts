import { z } from "zod";

/**
 * docs/contracts.md (contract): `POST /v1/replay` — re-decide recorded agent actions under another
 * policy, a candidate's YAML or a stored version. Nothing is written to the CRM or the audit.
 */
const instant = z.iso.datetime({ offset: true, error: "expected an ISO-8601 date-time" });

export const replayRequestSchema = z
  .strictObject({
    /** The candidate policy as YAML. */
    policy: z.string().min(1, "expected the policy YAML").optional(),
    /** A stored policy version (the SHA-256 `GET /v1/policy` shows) to compare against. */
    version: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "expected a policy version (64 hex characters)")
      .optional(),
    from: instant,
    to: instant,
    agentId: z.string().min(1).optional(),
  })
  .refine((r) => (r.policy === undefined) !== (r.version === undefined), {
    error: "give exactly one of policy (YAML) or version",
    path: ["policy"],
  })
  .refine((r) => new Date(r.from) < new Date(r.to), { error: "from must be before to", path: ["to"] });
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

export const replayDecisionSchema = z.object({
  outcome: z.string(),
  tier: z.number().int().nullable(),
  ruleId: z.string().nullable(),
  policyVersion: z.string().nullable(),
  reasons: z.array(z.string()),
});

export const replayResponseSchema = z.object({
  /** The candidate's version. */
  version: z.string(),
  /** Agent actions re-decided. */
  checked: z.number().int(),
  /** Events in the range that were not an agent's decided action. */
  skipped: z.number().int(),
  changed: z.array(
    z.object({
      eventId: z.string(),
      occurredAt: z.string(),
      agentId: z.string(),
      action: z.string(),
      objectType: z.string().nullable(),
      objectId: z.string().nullable(),
      field: z.string().nullable(),
      before: replayDecisionSchema,
      after: replayDecisionSchema,
    }),
  ),
  /** True when the range held more events than one replay reads; narrow it. */
  truncated: z.boolean(),
});
export type ReplayResponse = z.infer<typeof replayResponseSchema>;

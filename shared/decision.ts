import { z } from "zod";

/** docs/contracts.md#decisions: what `decide()` can answer. */
export const OUTCOMES = ["allow", "needs_approval", "deny", "killed", "over_cap", "outside_window"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Tollgate's tiers (docs/contracts.md#policy-manifest): 0 blocked · 1 read-only · 2 safe write (auto, provenance
 * required) · 3 approval required · 4 humans only.
 */
export const TIERS = [0, 1, 2, 3, 4] as const;
export type Tier = (typeof TIERS)[number];

export const decisionSchema = z.object({
  outcome: z.enum(OUTCOMES),
  tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  /** Which rule decided, e.g. `roles.enrichment.objects.contact.fields.industry`. */
  ruleId: z.string(),
  policyVersion: z.string(),
  /** Human-readable, stable sentences saying why. */
  reasons: z.array(z.string()),
  /** How many distinct approvers a `needs_approval` outcome requires. */
  approvers: z.number().int().min(0).max(2).optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

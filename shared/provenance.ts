import { z } from "zod";
import { ACTOR_TYPES } from "./audit-event.js";

/**
 * `GET /v1/records/:crm/:objectType/:objectId/provenance`: the governed changes of one record,
 * newest first, one entry per field an audit event touched (docs/contracts.md#http-api; requirements R3, R5).
 *
 * `outcome` says what became of the change: a policy outcome for agent writes and proposals
 * (`allow`, `needs_approval`, `deny`…, `observed` for people), or an approval step
 * (`approved`, `partially_approved`, `rejected`, `expired`, `conflict`, `applied`, `failed`).
 */
export const provenanceChangeSchema = z.object({
  eventId: z.string(),
  occurredAt: z.string(),
  /** The audit action behind the entry (`field_write`, `proposal`, `approve`, `apply`…). */
  action: z.string(),
  actor: z.object({ type: z.enum(ACTOR_TYPES), id: z.string(), role: z.string().nullable() }),
  field: z.string().nullable(),
  /** The CRM's label of `field`; the internal name when the CRM has none, `null` when `field` is. */
  fieldLabel: z.string().nullable().optional(),
  before: z.unknown(),
  after: z.unknown(),
  outcome: z.string(),
  ruleId: z.string().nullable(),
  policyVersion: z.string().nullable(),
  /** Who approved (names), for approval steps and for proposals decided since. */
  approvedBy: z.array(z.string()),
  approvalId: z.string().nullable(),
  reason: z.string().nullable(),
  confidence: z.number().nullable(),
  source: z.string().nullable(),
  evidence: z.unknown(),
});
export type ProvenanceChange = z.infer<typeof provenanceChangeSchema>;

export const provenancePageSchema = z.object({
  changes: z.array(provenanceChangeSchema),
  nextCursor: z.string().nullable(),
});
export type ProvenancePage = z.infer<typeof provenancePageSchema>;

export const provenanceQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

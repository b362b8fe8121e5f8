import { z } from "zod";

export const APPROVAL_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "expired",
  "applied",
  "conflict",
  "failed",
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** The message of a send (or enrollment, meeting) approval, as kept with it. */
export const approvalMessageSchema = z.object({
  to: z.string().optional(),
  from: z.string().optional(),
  fromName: z.string().optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
  template: z.string().optional(),
  sequenceId: z.string().optional(),
  meetingAt: z.string().optional(),
});
export type ApprovalMessage = z.infer<typeof approvalMessageSchema>;

/** docs/contracts.md#http-api (contract): one approval as the cards and operators see it. */
export const approvalSchema = z.object({
  id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  objectType: z.string(),
  objectId: z.string(),
  field: z.string(),
  /** The CRM's label of `field` (`Job title` for `jobtitle`); the internal name when the CRM has none. */
  fieldLabel: z.string().optional(),
  currentValue: z.string().nullable(),
  proposedValue: z.string().nullable(),
  confidence: z.number().nullable(),
  source: z.string().nullable(),
  reason: z.string().nullable(),
  evidence: z.unknown(),
  riskFlags: z.array(z.string()),
  approvalsNeeded: z.number().int(),
  approvedBy: z.array(z.object({ id: z.string(), name: z.string().nullable(), at: z.string() })),
  expiresAt: z.string(),
  createdAt: z.string(),
  /** Beyond the contract's minimum: who proposed, and why it was rejected. */
  agentId: z.string().nullable().optional(),
  rejectReason: z.string().nullable().optional(),
  /** What is approved: `field_write`, or the verb the pre-write gate parked (`send_email`…). */
  action: z.string().optional(),
  /**
   * For a verb: the message as the agent would send it — recipient, subject, body (credentials
   * quoted in it redacted) — so the approver reads what they approve, not its digest.
   */
  message: approvalMessageSchema.nullable().optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalListSchema = z.object({ approvals: z.array(approvalSchema) });

export const approveBodySchema = z.object({ expected: z.object({ value: z.string().nullable() }).optional() }).strict();
export const rejectBodySchema = z
  .object({ reason: z.string().trim().min(1, "a reason is required").max(2000) })
  .strict();

/**
 * `POST /v1/approvals/:id/approve` and `/reject` answer with the approval as it now stands, plus
 * what this request did: `unchanged` when the same person decided the same way before.
 */
export const APPROVAL_OUTCOMES = ["approved", "partially_approved", "rejected", "unchanged"] as const;
export const approvalDecisionResponseSchema = approvalSchema.extend({ outcome: z.enum(APPROVAL_OUTCOMES) });

/** Requirements R4: approve in chunks; a batch is one audit event with its manifest. */
export const APPROVAL_BATCH_MAX = 100;
export const approvalBatchItemSchema = z
  .object({
    id: z.string().min(1),
    decision: z.enum(["approve", "reject"]),
    expected: z.object({ value: z.string().nullable() }).strict().optional(),
    /** Required when `decision` is `reject`. */
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
/** Items are checked one by one (a bad item fails alone), so the envelope only bounds the list. */
export const approvalBatchBodySchema = z
  .object({ items: z.array(z.unknown()).min(1).max(APPROVAL_BATCH_MAX) })
  .strict();
export const approvalBatchResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      status: z.enum(APPROVAL_STATUSES).nullable(),
      outcome: z.enum(APPROVAL_OUTCOMES).optional(),
      error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
      /** The CRM's label of the approval's field (as `approval.fieldLabel`), when the approval exists. */
      fieldLabel: z.string().optional(),
      /** The approval as it now stands, when it exists. */
      approval: approvalSchema.optional(),
    }),
  ),
});
export type ApprovalBatchResult = z.infer<typeof approvalBatchResultSchema>;

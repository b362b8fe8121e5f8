import { z } from "zod";

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "expired", "applied", "conflict", "failed"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** DESIGN §5 (contract): one approval as the cards and operators see it. */
export const approvalSchema = z.object({
  id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  objectType: z.string(),
  objectId: z.string(),
  field: z.string(),
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
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalListSchema = z.object({ approvals: z.array(approvalSchema) });

export const approveBodySchema = z.object({ expected: z.object({ value: z.string().nullable() }).optional() }).strict();
export const rejectBodySchema = z.object({ reason: z.string().trim().min(1, "a reason is required").max(2000) }).strict();

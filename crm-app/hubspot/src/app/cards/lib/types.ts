/**
 * Wire shapes the cards exchange with Tollgate. HubSpot builds the cards from this folder's own
 * package.json, so they cannot import the repository's `shared/` zod schemas; these mirror them:
 * - `Approval`, `ApproveBody`, `RejectBody` ↔ `shared/approval.ts` (DESIGN §5, contract);
 * - `ProvenanceChange` ↔ the provenance endpoint, built from `shared/audit-event.ts`.
 * `test/crm-app/card-types.test.ts` (root suite) parses samples of these types with the shared
 * schemas, so a change on either side that the other does not follow fails a test.
 */

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "expired", "applied", "conflict", "failed"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface Approver {
  id: string;
  name: string | null;
  /** ISO-8601. */
  at: string;
}

/** One approval as `GET /v1/records/:crm/:objectType/:objectId/approvals` lists it. */
export interface Approval {
  id: string;
  status: ApprovalStatus;
  objectType: string;
  objectId: string;
  field: string;
  currentValue: string | null;
  proposedValue: string | null;
  /** 0–1. */
  confidence: number | null;
  source: string | null;
  reason: string | null;
  /** The agent's evidence bundle (JSON): `sources[]`, signals, extracted facts. */
  evidence: unknown;
  riskFlags: string[];
  approvalsNeeded: number;
  approvedBy: Approver[];
  expiresAt: string;
  createdAt: string;
  agentId?: string | null;
  rejectReason?: string | null;
}

export interface ApprovalList {
  approvals: Approval[];
}

/** `POST /v1/approvals/:id/approve`: approve exactly the value the rep saw. */
export interface ApproveBody {
  expected?: { value: string | null };
}

/** `POST /v1/approvals/:id/reject`. */
export interface RejectBody {
  reason: string;
}

export const BATCH_DECISIONS = ["approve", "reject"] as const;
export type BatchDecision = (typeof BATCH_DECISIONS)[number];

/** `POST /v1/approvals/batch`. */
export interface BatchBody {
  items: Array<{ id: string; decision: BatchDecision; expected: { value: string | null }; reason?: string }>;
}

/** `{ "error": { code, message, details } }` (DESIGN §5). */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * One item of the batch answer. DESIGN §5 does not fix it yet; the card reads either the
 * approval as it now stands or an error, and tolerates a bare `status`.
 */
export interface BatchItemResult {
  id: string;
  approval?: Approval;
  status?: ApprovalStatus;
  error?: ApiError;
}

export interface BatchResponse {
  results: BatchItemResult[];
}

export const ACTOR_TYPES = ["agent", "human", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Decision outcomes plus `observed` (`shared/audit-event.ts` AUDIT_OUTCOMES). */
export const AUDIT_OUTCOMES = ["allow", "needs_approval", "deny", "killed", "over_cap", "outside_window", "observed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One governed change, as `GET /v1/records/:crm/:objectType/:objectId/provenance` lists it. */
export interface ProvenanceChange {
  /** The audit event id. */
  eventId: string;
  occurredAt: string;
  actor: { type: ActorType; id: string; role: string | null };
  field: string;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome | null;
  ruleId: string | null;
  policyVersion: string | null;
  /** Approver ids (the audit event's `approval.approvers`). */
  approvedBy: string[];
  reason: string | null;
  confidence: number | null;
  source: string | null;
  evidence: unknown;
}

export interface ProvenancePage {
  /** Newest first. */
  changes: ProvenanceChange[];
  nextCursor: string | null;
}

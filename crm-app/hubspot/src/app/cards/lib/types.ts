/**
 * Wire shapes the cards exchange with Tollgate. HubSpot builds the cards from this folder's own
 * package.json, so they cannot import the repository's `shared/` zod schemas; these mirror them:
 * - `Approval`, `ApproveBody`, `RejectBody` ↔ `shared/approval.ts` (docs/contracts.md#http-api, contract);
 * - `ProvenanceChange`, `ProvenancePage` ↔ `shared/provenance.ts`;
 * - batch bodies and results, decision answers ↔ `shared/approval.ts`;
 * - `Inbox`, `InboxView`, `SettingsView` ↔ `shared/card-pages.ts` (the app's home and settings pages).
 * `test/crm-app/card-types.test.ts` (root suite) parses samples of these types with the shared
 * schemas, so a change on either side that the other does not follow fails a test.
 */

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
  /** The CRM's label of `field` (`Job title`); absent from older servers — show `field` then. */
  fieldLabel?: string;
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
  /** What is approved: `field_write`, or the verb an agent asks to perform (`send_email`…). */
  action?: string;
  /** For a verb: the message as the agent would send it (credentials quoted in it redacted). */
  message?: ApprovalMessage | null;
}

export interface ApprovalMessage {
  to?: string;
  from?: string;
  fromName?: string;
  subject?: string;
  body?: string;
  template?: string;
  sequenceId?: string;
  meetingAt?: string;
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

/** What one decision did: `unchanged` when the same person had already decided the same way. */
export const APPROVAL_OUTCOMES = ["approved", "partially_approved", "rejected", "unchanged"] as const;
export type ApprovalOutcome = (typeof APPROVAL_OUTCOMES)[number];

/**
 * The answer to approve / reject: the approval as it now stands, plus what this request did.
 * `approved` means every approval is in and Tollgate queued the write; the approval's status
 * turns `applied` (or `conflict`, `failed`) once the CRM write settles.
 */
export interface ApprovalDecisionResponse extends Approval {
  outcome: ApprovalOutcome;
}

export const BATCH_DECISIONS = ["approve", "reject"] as const;
export type BatchDecision = (typeof BATCH_DECISIONS)[number];

/** One item of `POST /v1/approvals/batch`. */
export interface BatchItem {
  id: string;
  decision: BatchDecision;
  expected?: { value: string | null };
  /** Required to reject. */
  reason?: string;
}

export interface BatchBody {
  items: BatchItem[];
}

/** `{ "error": { code, message, details } }` (docs/contracts.md#http-api). */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/** One item of the batch answer: refused alone (`ok: false`, `error`) or decided. */
export interface BatchItemResult {
  id: string;
  ok: boolean;
  /** The approval's status after the decision; `null` when it was not found. */
  status: ApprovalStatus | null;
  outcome?: ApprovalOutcome;
  error?: ApiError;
  /** The CRM's label of the approval's field (as `approval.fieldLabel`), when the approval exists. */
  fieldLabel?: string;
  /** The approval as it now stands, when it exists. */
  approval?: Approval;
}

export interface BatchResponse {
  results: BatchItemResult[];
}

export const ACTOR_TYPES = ["agent", "human", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * One governed change, as `GET /v1/records/:crm/:objectType/:objectId/provenance` lists it
 * (`shared/provenance.ts`): one entry per field an audit event touched.
 */
export interface ProvenanceChange {
  /** The audit event id. */
  eventId: string;
  occurredAt: string;
  /** The audit action: `field_write`, `proposal`, `revert`, `approve`, `apply`… */
  action: string;
  actor: { type: ActorType; id: string; role: string | null };
  /** `null` for an event that touched no field. */
  field: string | null;
  /** The CRM's label of `field`; absent from older servers — show `field` then. */
  fieldLabel?: string | null;
  before: unknown;
  after: unknown;
  /**
   * A policy outcome (`allow`, `needs_approval`, `deny`…, `observed`) or an approval step
   * (`approved`, `partially_approved`, `rejected`, `expired`, `applied`, `conflict`, `failed`).
   */
  outcome: string;
  ruleId: string | null;
  policyVersion: string | null;
  /** Who approved, by name. */
  approvedBy: string[];
  approvalId: string | null;
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

export const INBOX_VIEWS = ["mine", "team", "overdue", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** `GET /v1/inbox`: pending approvals across records, soonest to expire first. */
export interface Inbox {
  view: InboxView;
  approvals: Approval[];
  counts: { mine: number; team: number; overdue: number; all: number };
}

export interface KillSwitchView {
  scope: { type: string; value: string | null };
  state: "on" | "off";
  reason: string;
  who: { type: string; id: string; role: string | null; via: string | null };
  when: string;
}

export interface SetupObjectView {
  objectType: string;
  records: number;
  values: number;
  calls: number;
}

/** `GET /v1/settings`: the RevOps view of the portal. */
export interface SettingsView {
  tenantId: string;
  you: { role: string; mayPullTenant: boolean; mayPullScoped: boolean };
  killSwitches: KillSwitchView[];
  scopes: { agents: string[]; roles: string[] };
  policy: {
    version: string;
    updatedAt: string | null;
    updatedBy: string | null;
    changes: { at: string; by: string; version: string | null; summary: string }[];
  };
  reverts: {
    at: string;
    objectType: string | null;
    objectId: string | null;
    summary: string;
    agentId: string | null;
  }[];
  exceptions: {
    id: string;
    kind: string;
    state: string;
    owner: string | null;
    objectType: string | null;
    objectId: string | null;
    reviewDueAt: string;
    remediateDueAt: string;
    overdue: boolean;
  }[];
  setup: {
    state: string;
    reason: string;
    startedAt: string;
    finishedAt: string | null;
    created: number;
    objects: SetupObjectView[];
    subscriptionsToUpload: string[];
    error: string | null;
  } | null;
}

/** `PUT /v1/kill-switches`. */
export interface KillSwitchBody {
  scope: { type: string; value?: string | null };
  state: "on" | "off";
  reason: string;
}

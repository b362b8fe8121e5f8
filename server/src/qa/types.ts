import type { AuditActor, AuditEvent, PolicyQa } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import type { QaReview, Scorecard } from "./scorecard.js";

/** What QA sampling looks at in one agent action. */
export interface QaAction {
  action: string;
  tier: number | null;
  /** The decision's outcome (`allow`, `needs_approval`, `deny`…). */
  outcome: string;
  /** A segment, data source or sequence first seen within the policy's `new_for`. */
  newSegment: boolean;
  newSource: boolean;
  newSequence: boolean;
  largeAccount: boolean;
  regulatedIndustry: boolean;
}

export const QA_REASONS = [
  "restricted",
  "regulated_industry",
  "new_segment",
  "new_source",
  "new_sequence",
  "large_account",
  "base",
] as const;
export type QaReason = (typeof QA_REASONS)[number];

export interface SampleDecision {
  sampled: boolean;
  /** The highest rate that applied. */
  rate: number;
  /** The rule that set the rate. */
  reason: QaReason;
}

/** Facts about the record an action touched, when the event itself does not say. */
export interface QaFacts {
  segment?: string | null;
  source?: string | null;
  sequence?: string | null;
  employees?: number | null;
  industry?: string | null;
}

export interface QaItem {
  id: string;
  tenantId: string;
  eventId: string;
  agentId: string | null;
  action: string;
  crm: string | null;
  objectType: string | null;
  objectId: string | null;
  tier: number | null;
  outcome: string | null;
  reason: QaReason;
  rate: number;
  state: "pending" | "reviewed";
  verdict: "pass" | "fail" | null;
  scorecard: Scorecard | null;
  reviewer: string | null;
  notes: string | null;
  reviewEventId: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export interface QaSamplerOptions {
  db: Database;
  /** Reviews are audited; `createAuditLog` satisfies this. */
  audit: {
    append(
      input: import("../../../shared/index.js").AuditEventInput,
      opts?: { tx?: Sql },
    ): Promise<{ event_id: string }>;
  };
  /** The tenant's `qa` policy section (`policies.current(t).compiled.manifest.qa`). */
  policyFor(tenantId: string): PolicyQa;
  /** Extra facts about an event's record (segment, size, industry). @defaultValue none: the event's evidence only */
  facts?: (event: AuditEvent) => Promise<QaFacts>;
  /** Uniform in [0, 1). @defaultValue Math.random */
  random?: () => number;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

export interface QaSampler {
  /**
   * Picks agent actions for review from appended audit events (others are ignored). With
   * `tx`, the picked items commit with the caller's transaction.
   * @returns the items created
   */
  recordDecisionForQa(events: readonly AuditEvent[], opts?: { tx?: Sql }): Promise<QaItem[]>;
  list(tenantId: string, filter?: { state?: QaItem["state"]; agentId?: string; limit?: number }): Promise<QaItem[]>;
  get(tenantId: string, id: string): Promise<QaItem | undefined>;
  /**
   * Records a reviewer's verdict and scorecard, audited as `qa_review` (caused_by the reviewed
   * event). @throws NotFoundError, ConflictError when already reviewed, ValidationError
   */
  review(tenantId: string, id: string, review: QaReview, reviewer: AuditActor): Promise<QaItem>;
}

/** Governance figures for one tenant over one time range (requirements R9). */
export interface GovernanceMetrics {
  tenantId: string;
  from: string;
  to: string;
  /** Agent actions the policy decided (observations excluded). */
  agentActions: number;
  /** Proposals people decided: applied / (applied + rejected + expired); null when none. */
  acceptance: { applied: number; rejected: number; expired: number; pending: number; rate: number | null };
  /** Exceptions opened in the range per 100 agent actions; null with no actions. */
  exceptions: { opened: number; per100Actions: number | null; unresolved: number; overdue: number };
  reverts: ProtectiveWrites;
  rollbacks: ProtectiveWrites;
  topChangedFields: { objectType: string; field: string; changes: number }[];
  /** Direct agent writes to fields that need approval. */
  approvalBypassAttempts: { total: number; byAgent: { agentId: string; attempts: number }[] };
  /** Approval created → a person's decision, in seconds. */
  timeToReview: { decided: number; medianSeconds: number | null; p90Seconds: number | null };
  /** Share of outbound actions per recipient domain; per record when no domain is known. */
  concentration: {
    by: "domain" | "object";
    total: number;
    top: { key: string; count: number; share: number }[];
    hhi: number | null;
  };
}

export interface ProtectiveWrites {
  planned: number;
  done: number;
  conflicts: number;
  failed: number;
}

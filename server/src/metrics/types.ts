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
  /** Reviewers' verdicts on sampled actions (the acceptance figures' QA half), delivery, duplicates, stages. */
  quality: QualityFigures;
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

export interface QualityFigures {
  /** QA reviews of agent actions in the range: pass / (pass + fail). */
  qa: { reviewed: number; passed: number; failed: number; passRate: number | null };
  /**
   * Sends the gate permitted and the bounces and complaints reported for the range (`POST /v1/signals`), per 100 sends.
   */
  delivery: {
    sends: number;
    bounces: number;
    complaints: number;
    bounceRatePercent: number | null;
    complaintRatePercent: number | null;
  };
  /** Duplicates reviewers found (dedupe/frequency failed) and duplicate sends the gate refused. */
  duplicates: { created: number; refused: number };
  /** Agent writes to a stage field (lifecycle, lead status, deal/opportunity stage) the policy refused or reverted. */
  stageIntegrityViolations: number;
  /** QA pass rate by the agent's stated confidence: does confidence predict outcome? Bands with reviews only. */
  confidenceVsQa: { band: string; reviewed: number; passed: number; passRate: number | null }[];
}

/** One gauge of `/metrics`: its name after `tollgate_governance_`, and its values per label set (null: not set). */
export interface Figure {
  name: string;
  help: string;
  labels?: string[];
  values: (m: GovernanceMetrics) => [Record<string, string>, number | null][];
}

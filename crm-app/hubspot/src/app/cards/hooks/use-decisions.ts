import { useCallback, useState } from "react";
import { resultFromApproval, resultFromBatchItem, resultFromError, type DecisionResult } from "../lib/decision-result";
import { approveProposal, decideBatch, rejectProposal } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { Approval, BatchDecision } from "../lib/types";

export interface DecisionsOptions {
  /** Called once after any decision applied a value, so HubSpot re-reads the record's properties. */
  onApplied: () => void;
  /** Called after every decision, applied or not: statuses changed either way. */
  onSettled: () => void;
}

export interface Decisions {
  busy: boolean;
  results: DecisionResult[];
  approve: (approval: Approval) => Promise<void>;
  reject: (approval: Approval, reason: string) => Promise<void>;
  decideMany: (approvals: Approval[], decision: BatchDecision, reason?: string) => Promise<void>;
}

/** Sends approve / reject / batch decisions and keeps what became of each for the rep to read. */
export function useDecisions(identity: CardIdentity, options: DecisionsOptions): Decisions {
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<DecisionResult[]>([]);
  const { onApplied, onSettled } = options;

  const run = useCallback(
    async (work: () => Promise<DecisionResult[]>) => {
      setBusy(true);
      try {
        const next = await work();
        setResults(next);
        if (next.some((r) => r.outcome === "applied")) onApplied();
        onSettled();
      } finally {
        setBusy(false);
      }
    },
    [onApplied, onSettled],
  );

  const approve = useCallback(
    (approval: Approval) =>
      run(() =>
        approveProposal(identity, approval).then(
          (updated) => [resultFromApproval(updated)],
          (err: unknown) => [resultFromError(approval.id, approval.field, err)],
        ),
      ),
    [identity, run],
  );

  const reject = useCallback(
    (approval: Approval, reason: string) =>
      run(() =>
        rejectProposal(identity, approval.id, reason).then(
          (updated) => [resultFromApproval(updated)],
          (err: unknown) => [resultFromError(approval.id, approval.field, err)],
        ),
      ),
    [identity, run],
  );

  const decideMany = useCallback(
    (approvals: Approval[], decision: BatchDecision, reason?: string) => {
      const items = approvals.map((a) => ({
        id: a.id,
        decision,
        expected: { value: a.proposedValue },
        ...(decision === "reject" ? { reason } : {}),
      }));
      const fieldOf = (id: string) => approvals.find((a) => a.id === id)?.field ?? id;
      return run(() =>
        decideBatch(identity, { items }).then(
          (response) => response.results.map((item) => resultFromBatchItem(item, fieldOf)),
          // The whole batch was refused (bad request, unreachable): every item shares the reason.
          (err: unknown) => approvals.map((a) => resultFromError(a.id, a.field, err)),
        ),
      );
    },
    [identity, run],
  );

  return { busy, results, approve, reject, decideMany };
}

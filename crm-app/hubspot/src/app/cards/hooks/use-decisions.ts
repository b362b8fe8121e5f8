import { useCallback, useEffect, useRef, useState } from "react";
import {
  resultFromBatchItem,
  resultFromError,
  resultFromResponse,
  settleResult,
  type DecisionResult,
} from "../lib/decision-result";
import { approveProposal, decideBatch, rejectProposal } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { Approval, BatchDecision, BatchItem } from "../lib/types";

/** How often, and how many times, the card looks again while an approved value is being written. */
export const APPLY_POLL_MS = 2_000;
export const MAX_APPLY_POLLS = 10;

export interface DecisionsOptions {
  /** The latest approvals list (`null` until one has loaded): applying results are settled from it. */
  approvals: Approval[] | null;
  /** Fetches the list again; called after every decision and while a value is being applied. */
  reload: () => void;
  /** Called once for each batch of results that reached `applied`, so HubSpot re-reads the record. */
  onApplied: () => void;
  /** @defaultValue {@link APPLY_POLL_MS} */
  pollMs?: number;
}

export interface Decisions {
  busy: boolean;
  results: DecisionResult[];
  approve: (approval: Approval) => Promise<void>;
  reject: (approval: Approval, reason: string) => Promise<void>;
  decideMany: (approvals: Approval[], decision: BatchDecision, reason?: string) => Promise<void>;
}

/**
 * Sends approve / reject / batch decisions and keeps what became of each for the rep to read.
 * Approving the last time only queues the CRM write (Tollgate's write queue applies it shortly
 * after), so an `applying` result is followed through reloads until the approval settles; the
 * record's properties are refreshed when it reaches `applied`.
 */
export function useDecisions(identity: CardIdentity, options: DecisionsOptions): Decisions {
  const { approvals, reload, onApplied, pollMs = APPLY_POLL_MS } = options;
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<DecisionResult[]>([]);
  const latest = useRef(results);
  latest.current = results;
  const polls = useRef(0);
  // Read through a ref so the settling effect below runs only when a fresh list arrives.
  const callbacks = useRef({ reload, onApplied, pollMs });
  callbacks.current = { reload, onApplied, pollMs };

  const run = useCallback(
    async (work: () => Promise<DecisionResult[]>) => {
      setBusy(true);
      try {
        const next = await work();
        polls.current = 0;
        setResults(next);
        if (next.some((r) => r.outcome === "applied")) onApplied();
        reload();
      } finally {
        setBusy(false);
      }
    },
    [onApplied, reload],
  );

  useEffect(() => {
    if (approvals === null || !latest.current.some((r) => r.outcome === "applying")) return;
    const { reload, onApplied, pollMs } = callbacks.current;
    const before = latest.current;
    const next = before.map((r) =>
      settleResult(
        r,
        approvals.find((a) => a.id === r.id),
      ),
    );
    if (next.some((r, i) => r.outcome === "applied" && before[i]!.outcome !== "applied")) onApplied();
    if (next.some((r) => r.outcome === "applying")) {
      if (polls.current < MAX_APPLY_POLLS) {
        polls.current += 1;
        setResults(next);
        const timer = setTimeout(reload, pollMs);
        return () => clearTimeout(timer);
      }
      setResults(
        next.map((r) =>
          r.outcome === "applying"
            ? { ...r, message: "Approved; Tollgate is still applying it (reload the record later)" }
            : r,
        ),
      );
      return;
    }
    setResults(next);
    return;
  }, [approvals]);

  const approve = useCallback(
    (approval: Approval) =>
      run(() =>
        approveProposal(identity, approval).then(
          (response) => [resultFromResponse(response)],
          (err: unknown) => [resultFromError(approval.id, approval.field, err)],
        ),
      ),
    [identity, run],
  );

  const reject = useCallback(
    (approval: Approval, reason: string) =>
      run(() =>
        rejectProposal(identity, approval.id, reason).then(
          (response) => [resultFromResponse(response)],
          (err: unknown) => [resultFromError(approval.id, approval.field, err)],
        ),
      ),
    [identity, run],
  );

  const decideMany = useCallback(
    (chosen: Approval[], decision: BatchDecision, reason?: string) => {
      // `expected` binds each approval to the value the rep saw, as a single approve does.
      const items: BatchItem[] = chosen.map((a) => ({
        id: a.id,
        decision,
        expected: { value: a.proposedValue },
        ...(decision === "reject" ? { reason } : {}),
      }));
      const fieldOf = (id: string) => chosen.find((a) => a.id === id)?.field ?? id;
      return run(() =>
        decideBatch(identity, { items }).then(
          (response) => response.results.map((item) => resultFromBatchItem(item, fieldOf)),
          // The whole batch was refused (bad request, unreachable): every item shares the reason.
          (err: unknown) => chosen.map((a) => resultFromError(a.id, a.field, err)),
        ),
      );
    },
    [identity, run],
  );

  return { busy, results, approve, reject, decideMany };
}

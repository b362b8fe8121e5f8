import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  resultFromBatchItem,
  resultFromError,
  resultFromResponse,
  settleResult,
  type DecisionResult,
} from "../lib/decision-result";
import { approveProposal, decideBatch, rejectProposal } from "../lib/tollgate-api";
import type { PageIdentity } from "../lib/tollgate-url";
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
export function useDecisions(identity: PageIdentity, options: DecisionsOptions): Decisions {
  const { approvals, reload, onApplied, pollMs = APPLY_POLL_MS } = options;
  const [busy, setBusy] = useState(false);
  // Each decision starts a new round; polls and "applied" notices count per round.
  const [decided, setDecided] = useState<{ round: number; results: DecisionResult[] }>({ round: 0, results: [] });
  // How many times the current round looked again, and at which list it last looked.
  const [polls, setPolls] = useState<{ round: number; count: number; list: Approval[] | null }>({
    round: 0,
    count: 0,
    list: null,
  });
  const reported = useRef({ round: 0, ids: new Set<string>() });

  // What became of each decision is derived from the latest list, never copied into state.
  const pollCount = polls.round === decided.round ? polls.count : 0;
  const polledList = polls.round === decided.round ? polls.list : null;
  const gaveUp = pollCount > MAX_APPLY_POLLS;
  const results = useMemo(() => {
    const settled = decided.results.map((r) =>
      settleResult(
        r,
        approvals?.find((a) => a.id === r.id),
      ),
    );
    if (!gaveUp) return settled;
    return settled.map((r) =>
      r.outcome === "applying"
        ? { ...r, message: "Approved; Tollgate is still applying it (reload the record later)" }
        : r,
    );
  }, [decided, approvals, gaveUp]);
  const applying = !gaveUp && results.some((r) => r.outcome === "applying");

  // Follow a write Tollgate is still applying: look again after each fresh list, at most
  // MAX_APPLY_POLLS times; the timer after the last look only marks the result as given up.
  useEffect(() => {
    if (!applying || polledList === approvals) return;
    const round = decided.round;
    const timer = setTimeout(() => {
      setPolls({ round, count: pollCount + 1, list: approvals });
      if (pollCount < MAX_APPLY_POLLS) reload();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [applying, decided.round, pollCount, polledList, approvals, reload, pollMs]);

  // HubSpot re-reads the record once for each set of results that reached `applied`.
  useEffect(() => {
    if (reported.current.round !== decided.round) reported.current = { round: decided.round, ids: new Set() };
    const fresh = results.filter((r) => r.outcome === "applied" && !reported.current.ids.has(r.id));
    if (fresh.length === 0) return;
    for (const r of fresh) reported.current.ids.add(r.id);
    onApplied();
  }, [results, decided.round, onApplied]);

  const run = useCallback(
    async (work: () => Promise<DecisionResult[]>) => {
      setBusy(true);
      try {
        const next = await work();
        setDecided((d) => ({ round: d.round + 1, results: next }));
        reload();
      } finally {
        setBusy(false);
      }
    },
    [reload],
  );

  const approve = useCallback(
    (approval: Approval) =>
      run(() =>
        approveProposal(identity, approval).then(
          (response) => [resultFromResponse(response)],
          (err: unknown) => [resultFromError(approval, err)],
        ),
      ),
    [identity, run],
  );

  const reject = useCallback(
    (approval: Approval, reason: string) =>
      run(() =>
        rejectProposal(identity, approval.id, reason).then(
          (response) => [resultFromResponse(response)],
          (err: unknown) => [resultFromError(approval, err)],
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
      const fieldOf = (id: string) => {
        const listed = chosen.find((a) => a.id === id);
        return listed ? listed.fieldLabel || listed.field : id;
      };
      return run(() =>
        decideBatch(identity, { items }).then(
          (response) => response.results.map((item) => resultFromBatchItem(item, fieldOf)),
          // The whole batch was refused (bad request, unreachable): every item shares the reason.
          (err: unknown) => chosen.map((a) => resultFromError(a, err)),
        ),
      );
    },
    [identity, run],
  );

  return { busy, results, approve, reject, decideMany };
}

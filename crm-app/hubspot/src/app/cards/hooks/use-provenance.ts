import { useCallback, useEffect, useState } from "react";
import { listProvenance } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { ProvenanceChange } from "../lib/types";

export type ProvenanceState =
  | { status: "loading" }
  | { status: "success"; changes: ProvenanceChange[]; nextCursor: string | null }
  | { status: "error"; error: string };

export interface ProvenancePaging {
  state: ProvenanceState;
  /** 1-based. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
  retry: () => void;
}

/**
 * One page of the record's governed changes, newest first. Tollgate pages forward with an
 * opaque cursor, so going back replays the cursors already seen (page 1 has none).
 */
export function useProvenance(identity: CardIdentity, pageSize: number): ProvenancePaging {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [state, setState] = useState<ProvenanceState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const cursor = cursors[cursors.length - 1] ?? null;
  const { portalId, userId, userEmail, objectId, objectType } = identity;

  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    listProvenance({ portalId, userId, userEmail, objectId, objectType }, { limit: pageSize, cursor }).then(
      (page) =>
        current && setState({ status: "success", changes: newestFirst(page.changes), nextCursor: page.nextCursor }),
      (err: unknown) =>
        current && setState({ status: "error", error: err instanceof Error ? err.message : "Failed to load changes" }),
    );
    return () => {
      current = false;
    };
  }, [portalId, userId, userEmail, objectId, objectType, pageSize, cursor, attempt]);

  const nextCursor = state.status === "success" ? state.nextCursor : null;
  const next = useCallback(() => {
    if (nextCursor !== null) setCursors((list) => [...list, nextCursor]);
  }, [nextCursor]);
  const previous = useCallback(() => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)), []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    state,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: nextCursor !== null,
    next,
    previous,
    retry,
  };
}

// The endpoint promises newest first; sorting the page keeps the card right if it ever is not.
function newestFirst(changes: ProvenanceChange[]): ProvenanceChange[] {
  return [...changes].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
}

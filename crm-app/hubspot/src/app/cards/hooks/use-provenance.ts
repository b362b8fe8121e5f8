import { useCallback, useState } from "react";
import { listProvenance } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { ProvenanceChange } from "../lib/types";
import { useRequest } from "./use-request";

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
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const load = useCallback(() => listProvenance(identity, { limit: pageSize, cursor }), [identity, pageSize, cursor]);
  const request = useRequest(load);
  const state: ProvenanceState =
    request.state.status === "success"
      ? {
          status: "success",
          changes: newestFirst(request.state.data.changes),
          nextCursor: request.state.data.nextCursor,
        }
      : request.state;

  const nextCursor = state.status === "success" ? state.nextCursor : null;
  const next = useCallback(() => {
    if (nextCursor !== null) setCursors((list) => [...list, nextCursor]);
  }, [nextCursor]);
  const previous = useCallback(() => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)), []);

  return {
    state,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: nextCursor !== null,
    next,
    previous,
    retry: request.retry,
  };
}

// The endpoint promises newest first; sorting the page keeps the card right if it ever is not.
function newestFirst(changes: ProvenanceChange[]): ProvenanceChange[] {
  return [...changes].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
}

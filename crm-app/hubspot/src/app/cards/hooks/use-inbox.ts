import { useCallback } from "react";
import { listInbox, type InboxFilters } from "../lib/tollgate-api";
import type { PageIdentity } from "../lib/tollgate-url";
import { useRequest, type RequestState } from "./use-request";
import type { Inbox } from "../lib/types";

/**
 * The approval inbox for one view and its filters. `reload()` fetches again; the last list stays
 * on screen while it runs (after a decision), but a new view or filter shows the spinner.
 */
export function useInbox(
  identity: PageIdentity,
  filters: InboxFilters,
): { state: RequestState<Inbox>; reload: () => void } {
  const { view, objectType, agentId } = filters;
  const load = useCallback(
    () => listInbox(identity, { view, objectType, agentId }),
    [identity, view, objectType, agentId],
  );
  const { state, retry } = useRequest(load, { keepStale: true });
  return { state, reload: retry };
}

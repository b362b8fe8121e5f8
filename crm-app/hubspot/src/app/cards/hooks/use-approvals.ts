import { useCallback } from "react";
import { listApprovals } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { Approval } from "../lib/types";
import { useRequest } from "./use-request";

export type ApprovalsState =
  { status: "loading" } | { status: "success"; approvals: Approval[] } | { status: "error"; error: string };

/**
 * The record's pending and recent approvals. `reload()` fetches again; while it runs the last
 * list stays on screen (a rep who just approved sees the result, not a spinner), but an error
 * replaces it.
 */
export function useApprovals(identity: CardIdentity): { state: ApprovalsState; reload: () => void } {
  const load = useCallback(() => listApprovals(identity), [identity]);
  const { state, retry } = useRequest(load, { keepStale: true });
  if (state.status !== "success") return { state, reload: retry };
  return { state: { status: "success", approvals: state.data.approvals }, reload: retry };
}

import { useCallback, useEffect, useState } from "react";
import { listApprovals } from "../lib/tollgate-api";
import type { CardIdentity } from "../lib/tollgate-url";
import type { Approval } from "../lib/types";

export type ApprovalsState =
  { status: "loading" } | { status: "success"; approvals: Approval[] } | { status: "error"; error: string };

/**
 * The record's pending and recent approvals. `reload()` fetches again; while it runs the last
 * list stays on screen (a rep who just approved sees the result, not a spinner), but an error
 * replaces it.
 */
export function useApprovals(identity: CardIdentity): { state: ApprovalsState; reload: () => void } {
  const [state, setState] = useState<ApprovalsState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const { portalId, userId, userEmail, objectId, objectType } = identity;

  useEffect(() => {
    let current = true;
    setState((prev) => (prev.status === "success" ? prev : { status: "loading" }));
    listApprovals({ portalId, userId, userEmail, objectId, objectType }).then(
      (list) => current && setState({ status: "success", approvals: list.approvals }),
      (err: unknown) => current && setState({ status: "error", error: messageOf(err) }),
    );
    return () => {
      current = false;
    };
  }, [portalId, userId, userEmail, objectId, objectType, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : "Failed to load proposals";
}

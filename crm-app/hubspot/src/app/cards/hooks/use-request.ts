import { useCallback, useEffect, useState } from "react";

export type RequestState<T> =
  { status: "loading" } | { status: "success"; data: T } | { status: "error"; error: string };

interface Settled<T> {
  load: () => Promise<T>;
  attempt: number;
  state: RequestState<T>;
}

export interface RequestOptions {
  /**
   * Keep the last successful answer on screen while a new request runs (a rep who just approved
   * sees the result, not a spinner); an error still replaces it. @defaultValue false
   */
  keepStale?: boolean;
}

/**
 * Runs `load` (memoise it with `useCallback` over what it depends on) and again on `retry()`.
 * The state is derived from which request last settled, so nothing is set synchronously inside
 * an effect (HubSpot's lint rules: `react-hooks/set-state-in-effect`), and an answer that
 * arrives after its request was superseded is dropped.
 */
export function useRequest<T>(
  load: () => Promise<T>,
  options: RequestOptions = {},
): { state: RequestState<T>; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setSettled({ load, attempt, state: { status: "success", data } }),
      (err: unknown) =>
        current &&
        setSettled({
          load,
          attempt,
          state: { status: "error", error: err instanceof Error ? err.message : String(err) },
        }),
    );
    return () => {
      current = false;
    };
  }, [load, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const fresh = settled !== null && settled.load === load && settled.attempt === attempt ? settled.state : null;
  const stale = options.keepStale && settled?.state.status === "success" ? settled.state : null;
  return { state: fresh ?? stale ?? { status: "loading" }, retry };
}

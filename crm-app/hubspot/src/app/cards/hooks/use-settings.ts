import { useCallback } from "react";
import { getSettings } from "../lib/tollgate-api";
import type { PageIdentity } from "../lib/tollgate-url";
import type { SettingsView } from "../lib/types";
import { useRequest, type RequestState } from "./use-request";

/** The RevOps settings view (`GET /v1/settings`); `reload()` after pulling or lifting a switch. */
export function useSettings(identity: PageIdentity): { state: RequestState<SettingsView>; reload: () => void } {
  const load = useCallback(() => getSettings(identity), [identity]);
  const { state, retry } = useRequest(load, { keepStale: true });
  return { state, reload: retry };
}

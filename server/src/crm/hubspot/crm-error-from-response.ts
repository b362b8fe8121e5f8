import { CrmError, crmErrorCodeForStatus } from "../errors.js";
import type { HubSpotResponse } from "./create-hubspot-transport.js";
import type { HubSpotErrorBody } from "./types.js";

/** HubSpot's SDK waits this long after a `TEN_SECONDLY_ROLLING` 429; we use it when no header says more. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
/** "423 Locked … wait at least 2 s" (developers.hubspot.com/docs/api/error-handling). */
const LOCKED_WAIT_MS = 2_000;

/** Turns a non-2xx HubSpot answer into a `CrmError` with the stable code and, when retryable, the wait. */
export function crmErrorFromResponse(response: HubSpotResponse, what: string): CrmError {
  const code = crmErrorCodeForStatus(response.status);
  const body = asErrorBody(response.body);
  const detail = `${what}: HTTP ${response.status}${body?.message ? ` ${body.message}` : ""}`;
  const base = { status: response.status, detail };
  if (code === "rate_limited") return new CrmError(code, { ...base, retryAfterMs: rateLimitWaitMs(response) });
  if (code === "locked") return new CrmError(code, { ...base, retryAfterMs: LOCKED_WAIT_MS });
  return new CrmError(code, base);
}

/** True for answers the caller should throw on as a whole: retryable ones and bad credentials. */
export function isCallLevelFailure(status: number): boolean {
  return status === 401 || status === 403 || status === 423 || status === 429 || status >= 500;
}

export function asErrorBody(body: unknown): HubSpotErrorBody | undefined {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as HubSpotErrorBody) : undefined;
}

/** `Retry-After` (seconds or an HTTP date), else the window length HubSpot reported, else 10 s. */
function rateLimitWaitMs(response: HubSpotResponse): number {
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  const interval = Number(response.headers.get("x-hubspot-ratelimit-interval-milliseconds"));
  if (Number.isFinite(interval) && interval > 0) return interval;
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

import { CrmError, type CrmErrorCode } from "../errors.js";

/** How long a spent daily allocation is left alone before the next try (it is a rolling 24 hours). */
export const ALLOCATION_RECHECK_MS = 15 * 60_000;

const BY_ERROR_CODE: Record<string, CrmErrorCode> = {
  REQUEST_LIMIT_EXCEEDED: "rate_limited",
  INVALID_SESSION_ID: "auth_failed",
  INVALID_AUTH_HEADER: "auth_failed",
  INSUFFICIENT_ACCESS: "forbidden",
  INSUFFICIENT_ACCESS_OR_READONLY: "forbidden",
  API_DISABLED_FOR_ORG: "forbidden",
  API_CURRENTLY_DISABLED: "forbidden",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  ENTITY_IS_DELETED: "not_found",
  INVALID_CROSS_REFERENCE_KEY: "not_found",
  SERVER_UNAVAILABLE: "server_error",
  UNKNOWN_EXCEPTION: "server_error",
  UNABLE_TO_LOCK_ROW: "locked",
};

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET"]);

/** The CRM-neutral code of a Salesforce error code (`REQUEST_LIMIT_EXCEEDED`, `ERROR_HTTP_503`…). */
export function crmCodeOf(sfErrorCode: string | undefined): CrmErrorCode {
  if (!sfErrorCode) return "bad_request";
  // SOAP faults name the code with a namespace prefix (`sf:INVALID_SESSION_ID`).
  const errorCode = sfErrorCode.replace(/^\w+:/, "");
  const known = BY_ERROR_CODE[errorCode];
  if (known) return known;
  const status = /^ERROR_HTTP_(\d{3})$/.exec(errorCode)?.[1];
  if (status) {
    const n = Number(status);
    if (n === 401) return "auth_failed";
    if (n === 403) return "forbidden";
    if (n === 404) return "not_found";
    if (n === 429) return "rate_limited";
    if (n >= 500) return "server_error";
  }
  return "bad_request";
}

/**
 * A jsforce failure as a `CrmError`. jsforce throws `HttpApiError` (with Salesforce's
 * `errorCode`, or `ERROR_HTTP_<status>` when the body had none) and node-fetch's `FetchError`
 * for a connection that failed; neither carries the HTTP status, so the code decides.
 */
export function toCrmError(err: unknown, what: string): CrmError {
  if (err instanceof CrmError) return err;
  const e = err as { name?: string; errorCode?: string; code?: string; message?: string };
  if (e?.name === "FetchError" || (e?.code && NETWORK_CODES.has(e.code)))
    return new CrmError("network", { detail: what, cause: err });
  const code = crmCodeOf(e?.errorCode);
  const detail = `${what}: ${e?.errorCode ?? "error"} ${String(e?.message ?? "").slice(0, 200)}`;
  return new CrmError(code, {
    detail,
    cause: err,
    ...(code === "rate_limited" ? { retryAfterMs: ALLOCATION_RECHECK_MS } : {}),
  });
}

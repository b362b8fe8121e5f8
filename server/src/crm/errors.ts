import { TollgateError } from "../errors/index.js";

/** Stable codes for CRM failures, the same for HubSpot and Salesforce. */
export const CRM_ERROR_CODES = {
  rate_limited: "The CRM's rate limit was reached; the call will be retried after it resets.",
  server_error: "The CRM answered with a server error; the call will be retried.",
  locked: "The CRM has locked the record for a sync; the call will be retried.",
  not_found: "The record or property does not exist in the CRM.",
  auth_failed: "The CRM refused Tollgate's credentials; reinstall or refresh the token.",
  forbidden: "Tollgate's CRM identity lacks the scope or permission for this call.",
  bad_request: "The CRM rejected the request as invalid.",
  network: "The CRM could not be reached; the call will be retried.",
} as const;
export type CrmErrorCode = keyof typeof CRM_ERROR_CODES;

const RETRYABLE: ReadonlySet<CrmErrorCode> = new Set(["rate_limited", "server_error", "locked", "network"]);

export class CrmError extends TollgateError {
  readonly crmCode: CrmErrorCode;
  readonly retryable: boolean;
  /** How long to wait before retrying, when the CRM said (or the limit implies). */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    crmCode: CrmErrorCode,
    options: { status?: number; retryAfterMs?: number; detail?: string; cause?: unknown } = {},
  ) {
    const message = options.detail ? `${CRM_ERROR_CODES[crmCode]} (${options.detail})` : CRM_ERROR_CODES[crmCode];
    super(`crm_${crmCode}`, message, { httpStatus: 502, details: { status: options.status }, cause: options.cause });
    this.crmCode = crmCode;
    this.retryable = RETRYABLE.has(crmCode);
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Maps an HTTP status to a CRM error code, identically for both CRMs. */
export function crmErrorCodeForStatus(status: number): CrmErrorCode {
  if (status === 429) return "rate_limited";
  if (status === 423) return "locked";
  if (status === 401) return "auth_failed";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status >= 500) return "server_error";
  return "bad_request";
}

import { Connection } from "jsforce";
import type { RateLimitState } from "../connector.js";
import { CrmError } from "../errors.js";
import { mintJwtToken } from "./mint-jwt-token.js";
import { ALLOCATION_RECHECK_MS, toCrmError } from "./to-crm-error.js";
import type { SalesforceConnectorOptions } from "./types.js";

export const DEFAULT_SALESFORCE_API_VERSION = "62.0";
export const DEFAULT_SALESFORCE_CLIENT_NAME = "tollgate";

export interface SalesforceRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under the versioned root (`/sobjects/Lead/describe`, `/query?q=…`), or from `/services/…`. */
  path: string;
  body?: unknown;
}

export interface SalesforceTransport {
  /** One REST call; rejects with a `CrmError`. */
  send<T>(request: SalesforceRequest): Promise<T>;
  /** Any other jsforce call (Metadata SOAP, describe) under the same limit and error handling. */
  call<T>(what: string, work: (conn: Connection) => Promise<T>): Promise<T>;
  /** The org's daily allocation as last reported by `Sforce-Limit-Info`. */
  rateLimitState(): RateLimitState | undefined;
  /** Gets a new session (JWT bearer) after one was refused; with a static token there is none to get. */
  renewSession(): Promise<void>;
  /** The jsforce connection, with a current token (for streaming clients). */
  connection(): Promise<Connection>;
  readonly apiVersion: string;
}

/**
 * One edge for every connector call, over a jsforce `Connection` with the configured API version
 * and `Sforce-Call-Options: client=<name>` on every request (REST header, SOAP `CallOptions`).
 *
 * jsforce's own retries are off: retrying belongs to the write queue, which knows the budget.
 * The daily allocation is read from each answer's `Sforce-Limit-Info` (jsforce parses it into
 * `limitInfo`); after `REQUEST_LIMIT_EXCEEDED` no call is made for `ALLOCATION_RECHECK_MS`, each
 * refused one throwing a retryable `rate_limited` (nothing is dropped), and the owner is told once.
 */
export function createSalesforceTransport(options: SalesforceConnectorOptions): SalesforceTransport {
  const now = options.now ?? Date.now;
  const apiVersion = options.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION;
  const jwt = options.jwt;
  const conn = new Connection({
    instanceUrl: options.instanceUrl.replace(/\/+$/, ""),
    version: apiVersion,
    callOptions: { client: options.clientName ?? DEFAULT_SALESFORCE_CLIENT_NAME },
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    ...(jwt
      ? {
          refreshFn: (_c, callback) => {
            mintJwtToken(jwt, now).then(
              (res) => callback(null, res.access_token, res as never),
              (err: Error) => callback(err),
            );
          },
        }
      : {}),
  });
  if (!options.accessToken && !jwt) throw new TypeError("createSalesforceConnector needs accessToken or jwt");

  let state: RateLimitState | undefined;
  let pausedUntil = 0;
  const reserve = options.reserveCalls ?? 0;

  async function ensureToken(): Promise<void> {
    if (conn.accessToken || !jwt) return;
    const res = await mintJwtToken(jwt, now);
    conn.accessToken = res.access_token;
  }

  function observe(): void {
    const usage = conn.limitInfo?.apiUsage;
    if (!usage || !(usage.limit > 0)) return;
    const remaining = Math.max(0, usage.limit - usage.used - reserve);
    state = {
      max: usage.limit,
      remaining,
      intervalMs: ALLOCATION_RECHECK_MS,
      observedAt: now(),
      dailyRemaining: remaining,
    };
  }

  async function call<T>(what: string, work: (c: Connection) => Promise<T>): Promise<T> {
    const wait = pausedUntil - now();
    if (wait > 0)
      throw new CrmError("rate_limited", { detail: `${what}: daily API allocation spent`, retryAfterMs: wait });
    try {
      await ensureToken();
      const result = await work(conn);
      observe();
      return result;
    } catch (err) {
      observe();
      const error = toCrmError(err, what);
      if (error.crmCode === "rate_limited") {
        pausedUntil = now() + ALLOCATION_RECHECK_MS;
        const usage = conn.limitInfo?.apiUsage;
        state = {
          max: usage?.limit ?? 1,
          remaining: 0,
          intervalMs: ALLOCATION_RECHECK_MS,
          observedAt: now(),
          dailyRemaining: 0,
        };
        options.onAllocationExhausted?.({ orgId: options.orgId, used: usage?.used, limit: usage?.limit });
      }
      throw error;
    }
  }

  return {
    apiVersion,
    send: <T>(request: SalesforceRequest) =>
      call<T>(`${request.method} ${request.path.split("?")[0]}`, (c) =>
        c.request<T>(
          {
            method: request.method,
            url: request.path,
            ...(request.body === undefined
              ? {}
              : { body: JSON.stringify(request.body), headers: { "content-type": "application/json" } }),
          },
          { retry: { maxRetries: 0 } } as never,
        ),
      ),
    call,
    rateLimitState: () => state,
    async renewSession() {
      if (!jwt) return;
      conn.accessToken = (await mintJwtToken(jwt, now)).access_token;
    },
    async connection() {
      await ensureToken();
      return conn;
    },
  };
}

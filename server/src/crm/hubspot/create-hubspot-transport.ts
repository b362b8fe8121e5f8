import { Client } from "@hubspot/api-client";
import type { RateLimitState } from "../connector.js";
import { CrmError } from "../errors.js";
import { readRateLimitHeaders } from "./read-rate-limit-headers.js";
import type { FetchLike, HubSpotConnectorOptions } from "./types.js";

export const DEFAULT_HUBSPOT_BASE_URL = "https://api.hubapi.com";
const DEFAULT_TIMEOUT_MS = 30_000;

export interface HubSpotRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path under the base URL, already encoded: `/crm/v3/objects/contacts/batch/read`. */
  path: string;
  query?: Record<string, string> | undefined;
  body?: unknown;
}

export interface HubSpotResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** Parsed JSON, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
}

export interface HubSpotTransport {
  /** Sends one request. Resolves with any HTTP status; rejects only with `CrmError("network")`. */
  send(request: HubSpotRequest): Promise<HubSpotResponse>;
  rateLimitState(): RateLimitState | undefined;
}

/**
 * One HTTP edge for every connector call. Goes through the SDK's `apiRequest` (it returns the
 * raw response, so we see the rate-limit headers the generated APIs drop) with retries off:
 * retrying belongs to the write queue, which knows the tenant's budget.
 *
 * The SDK keeps its retry/limiter decorators in a process-wide singleton that the last
 * `new Client()` sets; every Tollgate client is created with `numberOfApiCallRetries: 0`, so none
 * adds retries behind the queue's back.
 */
export function createHubSpotTransport(options: HubSpotConnectorOptions): HubSpotTransport {
  const baseUrl = (options.baseUrl ?? DEFAULT_HUBSPOT_BASE_URL).replace(/\/+$/, "");
  const now = options.now ?? Date.now;
  const getToken = tokenSource(options);
  const sendRaw = options.fetch ? viaFetch(options.fetch, baseUrl) : viaSdk(baseUrl, options.accessToken);
  let lastState: RateLimitState | undefined;

  return {
    async send(request) {
      const call = budgetedCall(request);
      if (call && options.budget) await options.budget(call);
      const token = await getToken();
      let raw: Awaited<ReturnType<FetchLike>>;
      try {
        raw = await withTimeout(sendRaw(request, token), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      } catch (cause) {
        throw new CrmError("network", { detail: `${request.method} ${request.path}`, cause });
      }
      lastState = readRateLimitHeaders(raw.headers, now()) ?? lastState;
      let text: string;
      try {
        text = await raw.text();
      } catch (cause) {
        throw new CrmError("network", { detail: `${request.method} ${request.path}: body cut off`, cause });
      }
      return { status: raw.status, headers: raw.headers, body: parseBody(text) };
    },
    rateLimitState: () => lastState,
  };
}

/**
 * Searches and history reads spend the shared budget; plain reads (the gate's record facts) and
 * writes do not — the write queue paces writes.
 */
function budgetedCall(request: HubSpotRequest): "read" | "search" | undefined {
  if (request.method !== "POST") return undefined;
  if (request.path.endsWith("/search")) return "search";
  const body = request.body as { propertiesWithHistory?: unknown } | undefined;
  return request.path.endsWith("/batch/read") && body?.propertiesWithHistory !== undefined ? "read" : undefined;
}

function tokenSource(options: HubSpotConnectorOptions): () => Promise<string> {
  if (options.getAccessToken) return options.getAccessToken;
  const token = options.accessToken;
  if (!token) throw new TypeError("createHubSpotConnector needs accessToken or getAccessToken");
  return () => Promise.resolve(token);
}

type RawSend = (request: HubSpotRequest, token: string) => ReturnType<FetchLike>;

function viaSdk(basePath: string, staticToken: string | undefined): RawSend {
  const client = new Client({
    basePath,
    numberOfApiCallRetries: 0,
    ...(staticToken ? { accessToken: staticToken } : {}),
  });
  return (request, token) =>
    client.apiRequest({
      method: request.method,
      path: request.path,
      ...(request.query ? { qs: request.query } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      // A token from getAccessToken may change between calls; the header wins over config auth.
      headers: { Authorization: `Bearer ${token}` },
    });
}

function viaFetch(fetchFn: FetchLike, baseUrl: string): RawSend {
  return (request, token) => {
    const qs = request.query ? `?${new URLSearchParams(request.query).toString()}` : "";
    return fetchFn(`${baseUrl}${request.path}${qs}`, {
      method: request.method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
  };
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

import { hubspot } from "@hubspot/ui-extensions";
import type { ApiError } from "./types";

/**
 * Under HubSpot's own 15 s `hubspot.fetch` limit, so a slow Tollgate ends in this card's error
 * state (with a retry) rather than in HubSpot's generic failure.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/** A request to Tollgate that did not succeed; `code` is Tollgate's stable error code. */
export class TollgateRequestError extends Error {
  readonly code: string;
  /** HTTP status, or 0 when no answer came (timeout, network). */
  readonly status: number;
  readonly details: unknown;

  constructor(error: ApiError, status: number) {
    super(error.message);
    this.name = "TollgateRequestError";
    this.code = error.code;
    this.status = status;
    this.details = error.details;
  }
}

export interface FetchTollgateInit {
  method: "GET" | "POST" | "PUT";
  body?: object;
}

/**
 * The one place the cards call `hubspot.fetch` (`window.fetch` does not exist in a card).
 * Resolves with the parsed JSON body; rejects with a {@link TollgateRequestError} carrying
 * Tollgate's `{error: {code, message}}` when there is one.
 */
export async function fetchTollgate<T>(url: string, init: FetchTollgateInit): Promise<T> {
  // An upload without a profile leaves Tollgate's URL unset; hubspot.fetch takes only https.
  if (!url.startsWith("https://")) {
    throw new TollgateRequestError(
      {
        code: "not_configured",
        message:
          "Tollgate's URL is not set: upload the project with a profile (hs project upload --profile production)",
      },
      0,
    );
  }
  let response: Response;
  try {
    response = await hubspot.fetch(url, {
      method: init.method,
      timeout: REQUEST_TIMEOUT_MS,
      ...(init.body === undefined ? {} : { body: init.body as Record<string, unknown> }),
    });
  } catch (err) {
    throw new TollgateRequestError({ code: "unreachable", message: `Tollgate did not answer: ${messageOf(err)}` }, 0);
  }
  const answer = unwrapProxyEnvelope(await response.json().catch(() => undefined), response);
  if (!answer.ok) {
    const error = apiErrorOf(answer.body) ?? {
      code: `http_${answer.status}`,
      message: `Tollgate answered ${answer.status}`,
    };
    throw new TollgateRequestError(error, answer.status);
  }
  return answer.body as T;
}

/**
 * What Tollgate answered, whether it reaches the card directly or wrapped by HubSpot's proxy.
 * The proxy (`@hubspot/ui-extensions-dev-server` `AppProxyService`, mirroring HubSpot's own)
 * answers a non-2xx from the backend with HTTP 200 and
 * `{status: "error", category: "BAD_GATEWAY", responseBody, context: {appServerStatusCode: ["409"]}}`,
 * and a success as `{status: "success", responseBody, context}`; Tollgate's own answers never
 * carry `responseBody` and `context` together.
 */
export function unwrapProxyEnvelope(
  payload: unknown,
  response: { ok: boolean; status: number },
): { ok: boolean; status: number; body: unknown } {
  if (typeof payload !== "object" || payload === null || !("responseBody" in payload) || !("context" in payload))
    return { ok: response.ok, status: response.status, body: payload };
  const envelope = payload as { status?: unknown; responseBody: unknown; context: unknown };
  const codes = (envelope.context as { appServerStatusCode?: unknown } | null)?.appServerStatusCode;
  const backendStatus = Number(Array.isArray(codes) ? codes[0] : codes);
  const status = Number.isInteger(backendStatus) && backendStatus > 0 ? backendStatus : response.status;
  const ok = envelope.status === "success" && status >= 200 && status < 300;
  return { ok, status, body: envelope.responseBody };
}

function apiErrorOf(payload: unknown): ApiError | undefined {
  if (typeof payload !== "object" || payload === null || !("error" in payload)) return undefined;
  const error = (payload as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  return { code, message, details };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

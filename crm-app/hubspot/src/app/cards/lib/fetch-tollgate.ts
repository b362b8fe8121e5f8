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
  method: "GET" | "POST";
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
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = apiErrorOf(payload) ?? {
      code: `http_${response.status}`,
      message: `Tollgate answered ${response.status}`,
    };
    throw new TollgateRequestError(error, response.status);
  }
  return payload as T;
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

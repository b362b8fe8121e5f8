import { isUtf8 } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import { Signature } from "@hubspot/api-client";

/**
 * HubSpot's replay window: a v3 timestamp more than 5 minutes away from our clock is refused.
 * @see https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
export const HUBSPOT_SIGNATURE_WINDOW_MS = Signature.MAX_ALLOWED_TIMESTAMP;

/** Why a request's v3 signature was refused; each maps to 401 and nothing is processed. */
export const SIGNATURE_FAILURES = [
  "missing_signature",
  "missing_timestamp",
  "stale_timestamp",
  "future_timestamp",
  "bad_signature",
] as const;
export type SignatureFailure = (typeof SIGNATURE_FAILURES)[number];
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export interface VerifyHubSpotSignatureV3Input {
  /** The app's client secret (`HUBSPOT_CLIENT_SECRET`). */
  clientSecret: string;
  /** HTTP method as received (`POST`). */
  method: string;
  /** The full URL HubSpot called: `TOLLGATE_PUBLIC_URL` + request path and query. */
  publicUrl: string;
  /**
   * Apply HubSpot's URI decoding before hashing. `false` only for `hs project dev`'s proxy, which
   * signs through the SDK without it. @defaultValue true
   */
  decodeUri?: boolean;
  /** The exact bytes received; the signature covers them, not a re-serialisation. */
  rawBody: Buffer;
  /** `X-HubSpot-Signature-v3`. */
  signature: string | undefined;
  /** `X-HubSpot-Request-Timestamp`: epoch milliseconds, as a header string or a number. */
  timestamp: string | number | undefined;
  /** Our clock, epoch ms (passed in so the check is a pure function). */
  now: number;
}

// HubSpot decodes exactly these escapes before signing; any other `%xx` stays as sent.
const DECODED = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/**
 * The URI as HubSpot signs it: `%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B` decoded,
 * everything else (including `%20`, `%25`) untouched. The SDK's `Signature` skips this step.
 * @see https://developers.hubspot.com/docs/api/webhooks/validating-requests (v3, step 2)
 */
export function decodeHubSpotUri(uri: string): string {
  return uri.replace(DECODED, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parseTimestamp(value: string | number | undefined): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string" || !/^\d{1,16}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * The v3 MAC: HMAC-SHA256 over METHOD + uri + body + timestamp, base64 — what the SDK's
 * `Signature.getSignature(method, "v3", …)` computes, fed HubSpot's decoded URI.
 *
 * docs/architecture.md#how-the-code-reads says wrap the SDK; this deviates on purpose, for the ingest path's cost. The
 * SDK
 * takes the body as a string, so each batch was decoded to UTF-16 and re-encoded to UTF-8
 * for the HMAC (about a third of the signature check). Here the raw bytes go into the HMAC
 * as received. For a body that is valid UTF-8 (the only kind `verifyHubSpotSignatureV3`
 * lets through) decode-then-encode gives back the same bytes, so the MAC is the SDK's;
 * `verify.test.ts` holds both to equality on many generated inputs. A string body is
 * hashed as a string, exactly as the SDK does.
 */
function computeV3(
  clientSecret: string,
  method: string,
  publicUrl: string,
  body: Buffer | string,
  timestamp: number,
): string {
  // Consecutive updates MAC the concatenation, without copying the body into a new buffer.
  return createHmac("sha256", clientSecret)
    .update(method.toUpperCase() + publicUrl, "utf8")
    .update(body)
    .update(String(timestamp), "utf8")
    .digest("base64");
}

/**
 * Checks HubSpot's v3 request signature. Never throws: callers branch on `reason`.
 *
 * Computes the MAC `Signature.getSignature` from `@hubspot/api-client` computes (over the raw
 * bytes: see `computeV3`), and adds what `Signature.isValid` lacks: HubSpot's URI decoding,
 * refusing timestamps from the future (a captured request could otherwise be replayed until
 * its far-future stamp ages out), a constant-time comparison, and a result instead of a
 * thrown `Error`.
 *
 * @example
 * const check = verifyHubSpotSignatureV3({ clientSecret, method: "POST",
 *   publicUrl: "https://tollgate.example.com/webhooks/hubspot", rawBody,
 *   signature: req.get("x-hubspot-signature-v3"), timestamp: req.get("x-hubspot-request-timestamp"), now: Date.now()
 *   });
 * if (!check.ok) return res.status(401)…
 */
export function verifyHubSpotSignatureV3(input: VerifyHubSpotSignatureV3Input): SignatureCheck {
  const signature = input.signature?.trim();
  if (!signature) return { ok: false, reason: "missing_signature" };
  // An unparseable stamp is treated as absent: there is no time to check it against.
  const timestamp = parseTimestamp(input.timestamp);
  if (timestamp === undefined) return { ok: false, reason: "missing_timestamp" };
  if (input.now - timestamp > HUBSPOT_SIGNATURE_WINDOW_MS) return { ok: false, reason: "stale_timestamp" };
  if (timestamp - input.now > HUBSPOT_SIGNATURE_WINDOW_MS) return { ok: false, reason: "future_timestamp" };

  // HubSpot signs a UTF-8 string. A body that is not valid UTF-8 cannot be what it signed, and
  // decoding it leniently would map different bytes to the same U+FFFD string.
  if (!isUtf8(input.rawBody)) return { ok: false, reason: "bad_signature" };
  const expected = Buffer.from(
    computeV3(
      input.clientSecret,
      input.method,
      input.decodeUri === false ? input.publicUrl : decodeHubSpotUri(input.publicUrl),
      input.rawBody,
      timestamp,
    ),
    "utf8",
  );
  const presented = Buffer.from(signature, "utf8");
  // timingSafeEqual needs equal lengths; the length of a base64 SHA-256 MAC is public anyway.
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented))
    return { ok: false, reason: "bad_signature" };
  return { ok: true };
}

export interface SignHubSpotV3Input {
  clientSecret: string;
  /** @defaultValue "POST" */
  method?: string;
  /** The full URL the request goes to (public base + path + query). */
  publicUrl: string;
  rawBody: Buffer | string;
  /** Epoch ms. */
  timestamp: number;
}

/**
 * Signs a request the way HubSpot does (v3), for tests and the local sandbox.
 * Returns the `X-HubSpot-Signature-v3` value.
 */
export function signHubSpotV3(input: SignHubSpotV3Input): string {
  // Bytes that are not UTF-8 are refused by the check, so signing them is a caller's mistake.
  if (typeof input.rawBody !== "string" && !isUtf8(input.rawBody))
    throw new TypeError("signHubSpotV3: the body is not valid UTF-8");
  return computeV3(
    input.clientSecret,
    input.method ?? "POST",
    decodeHubSpotUri(input.publicUrl),
    input.rawBody,
    input.timestamp,
  );
}

import { createHmac } from "node:crypto";

/**
 * Salesforce card requests (docs/contracts.md, "Salesforce card requests"): the Apex controller
 * signs every call to Tollgate with
 * `X-Tollgate-Signature: t=<ms>,v1=<base64 HMAC-SHA256 of t + "." + METHOD + path + "." + body>`,
 * keyed by the UTF-8 bytes of the org's secret. A `GET` has no body: its acting user travels in
 * `X-Tollgate-Context`, and that header's value is what is signed as the body.
 *
 * The Apex twin is `crm-app/salesforce/force-app/main/default/classes/TollgateSignature.cls`; both
 * are checked against the same vectors (`staticresources/TollgateSignatureVectors.json`).
 */
export const SALESFORCE_CARD_SIGNATURE_HEADER = "x-tollgate-signature";
export const SALESFORCE_CARD_CONTEXT_HEADER = "x-tollgate-context";

export interface SalesforceCardRequestParts {
  /** Epoch milliseconds, as written in the header's `t=`. */
  timestamp: string;
  /** `GET`, `POST` (upper-cased before signing). */
  method: string;
  /** Path and query exactly as sent after the Named Credential's URL, starting with `/v1/`. */
  path: string;
  /** The raw body (a `GET`: the `X-Tollgate-Context` value); bytes are signed as they are. */
  body: string | Uint8Array;
}

/** The exact bytes that are signed: `t + "." + METHOD + path + "." + body`. */
export function getSalesforceCardSigningBytes(parts: SalesforceCardRequestParts): Buffer {
  const head = Buffer.from(`${parts.timestamp}.${parts.method.toUpperCase()}${parts.path}.`, "utf8");
  const body = typeof parts.body === "string" ? Buffer.from(parts.body, "utf8") : Buffer.from(parts.body);
  return Buffer.concat([head, body]);
}

/** `v1`: standard base64 (with padding) of HMAC-SHA256 keyed by the secret's UTF-8 bytes. */
export function signSalesforceCardRequest(secret: string, parts: SalesforceCardRequestParts): string {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(getSalesforceCardSigningBytes(parts))
    .digest("base64");
}

/** The whole header value, `t=<ms>,v1=<signature>`. */
export function formatSalesforceCardSignature(secret: string, parts: SalesforceCardRequestParts): string {
  return `t=${parts.timestamp},v1=${signSalesforceCardRequest(secret, parts)}`;
}

/**
 * `t=<ms>,v1=<sig>` → its parts, or `undefined` when the header is malformed (a key missing or
 * repeated, `t` not decimal digits). Unknown keys are ignored, so a later `v2` can be added.
 */
export function parseSalesforceCardSignature(header: string): { timestamp: string; v1: string } | undefined {
  const seen = new Map<string, string>();
  for (const item of header.split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0) return undefined;
    const key = item.slice(0, eq).trim();
    if (seen.has(key)) return undefined;
    seen.set(key, item.slice(eq + 1).trim());
  }
  const timestamp = seen.get("t");
  const v1 = seen.get("v1");
  if (timestamp === undefined || v1 === undefined || !/^\d{1,16}$/.test(timestamp) || v1 === "") return undefined;
  return { timestamp, v1 };
}

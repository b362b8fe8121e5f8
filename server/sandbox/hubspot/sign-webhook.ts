import { createHash, createHmac } from "node:crypto";

/**
 * Headers HubSpot puts on a webhook POST: v3 (base64 HMAC-SHA256 keyed with the client secret
 * over `METHOD + targetUrl + rawBody + timestamp`) and v1 (hex SHA-256 of `clientSecret + rawBody`).
 * @see HubSpot: https://developers.hubspot.com/docs/api/webhooks "Signatures"
 */
export function signWebhook(
  clientSecret: string,
  targetUrl: string,
  rawBody: string,
  timestamp: number,
): Record<string, string> {
  const v3 = createHmac("sha256", clientSecret)
    .update(`POST${targetUrl}${rawBody}${timestamp}`, "utf8")
    .digest("base64");
  const v1 = createHash("sha256").update(`${clientSecret}${rawBody}`, "utf8").digest("hex");
  return {
    "X-HubSpot-Signature-v3": v3,
    "X-HubSpot-Request-Timestamp": String(timestamp),
    "X-HubSpot-Signature": v1,
    "X-HubSpot-Signature-Version": "v1",
  };
}

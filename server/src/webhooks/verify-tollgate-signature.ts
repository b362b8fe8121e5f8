import { createHmac, timingSafeEqual } from "node:crypto";
import type { SignatureCheck } from "./verify.js";

/** Both Salesforce-side signatures (callouts and card requests) accept 5 minutes either way. */
export const TOLLGATE_SIGNATURE_WINDOW_MS = 5 * 60_000;

export interface VerifyTollgateSignatureInput {
  /** `X-Tollgate-Signature: t=<ms>,v1=<base64>` as received. */
  header: string | undefined;
  /** The signed string for a given `t` (docs/contracts.md): `t.<raw body>`, or `t.<METHOD><path>.<body>`. */
  signedString(t: string): Buffer;
  secret: string;
  now: number;
}

/**
 * Checks `X-Tollgate-Signature` — HMAC-SHA256 keyed by the org's secret, base64 — as a Flow or
 * Apex callout sends it: the timestamp inside the window, then the signature compared in
 * constant time. Nothing is parsed before it passes.
 * @see docs/contracts.md (Salesforce card requests, POST /webhooks/salesforce)
 */
export function verifyTollgateSignature(input: VerifyTollgateSignatureInput): SignatureCheck {
  if (!input.header) return { ok: false, reason: "missing_signature" };
  const parts = new Map(
    input.header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = parts.get("t");
  const v1 = parts.get("v1");
  if (!t || !/^\d{1,16}$/.test(t)) return { ok: false, reason: "missing_timestamp" };
  if (!v1) return { ok: false, reason: "missing_signature" };
  const age = input.now - Number(t);
  if (age > TOLLGATE_SIGNATURE_WINDOW_MS) return { ok: false, reason: "stale_timestamp" };
  if (age < -TOLLGATE_SIGNATURE_WINDOW_MS) return { ok: false, reason: "future_timestamp" };
  const expected = createHmac("sha256", input.secret).update(input.signedString(t)).digest();
  const given = Buffer.from(v1, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: "bad_signature" };
}

/** The header value for a body, as Apex (or a test) computes it. */
export function signTollgateRequest(signed: (t: string) => Buffer | string, secret: string, now: number): string {
  const t = String(now);
  return `t=${t},v1=${createHmac("sha256", secret).update(signed(t)).digest("base64")}`;
}

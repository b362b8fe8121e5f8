import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "../../../shared/index.js";

/** What a permit says: this agent may do this, on this target, until then, under this audit event. */
export interface PermitClaims {
  tenantId: string;
  agentId: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  /** The audit event recording the intent and decision: the agent's approval trace. */
  eventId: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
const mac = (secret: Uint8Array, body: string) => createHmac("sha256", secret).update(body, "utf8").digest();

/** `<claims as base64url canonical JSON>.<base64url HMAC-SHA256>`. */
export function signPermit(secret: Uint8Array, claims: PermitClaims): string {
  const body = b64(canonicalJson(claims));
  return `${body}.${b64(mac(secret, body))}`;
}

/**
 * The claims of a genuine, unexpired permit, or `undefined`. For a sending tool or relay that
 * checks the agent's permit before it sends.
 */
export function verifyPermit(secret: Uint8Array, token: string, now: Date = new Date()): PermitClaims | undefined {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return undefined;
  const expected = mac(secret, body);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as PermitClaims;
  return new Date(claims.expiresAt).getTime() > now.getTime() ? claims : undefined;
}

/**
 * The permit signing key, derived from `TOLLGATE_ENCRYPTION_KEY` (HKDF-SHA256, info
 * "tollgate-action-permit"), so no key is shared between purposes and none needs configuring.
 */
export function derivePermitSecret(encryptionKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", encryptionKey, new Uint8Array(0), "tollgate-action-permit", 32));
}

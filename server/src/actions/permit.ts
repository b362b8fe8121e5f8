import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "../../../shared/index.js";

/**
 * What a permit says: this agent may do exactly this action (its digest), once, until then,
 * under this audit event. See shared/permit.ts for the digest.
 */
export interface PermitClaims {
  /** The permit's own id: it is used once (`permits.used_at`). */
  permitId: string;
  tenantId: string;
  agentId: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  /** `permitDigest` of the action: recipient, subject, body hash, template… */
  digest: string;
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
 * The claims of a genuinely signed permit, expired or not, or `undefined` (tampered, malformed,
 * another key). Whether it is still usable is `POST /v1/permits/verify`'s question: expiry,
 * single use and kill switches live in PostgreSQL.
 */
export function readPermit(secret: Uint8Array, token: string): PermitClaims | undefined {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return undefined;
  const expected = mac(secret, body);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<PermitClaims>;
    return typeof claims.permitId === "string" && typeof claims.digest === "string"
      ? (claims as PermitClaims)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The permit signing key, derived from `TOLLGATE_ENCRYPTION_KEY` (HKDF-SHA256, info
 * "tollgate-action-permit"), so no key is shared between purposes and none needs configuring.
 */
/**
 * The claims of a permit signed by any of `secrets` — the current permit key first, then keys
 * rotated out (docs/operations.md, rotate keys) — or `undefined`.
 */
export function readPermitSignedByAny(secrets: readonly Uint8Array[], token: string): PermitClaims | undefined {
  for (const secret of secrets) {
    const claims = readPermit(secret, token);
    if (claims) return claims;
  }
  return undefined;
}

export function derivePermitSecret(encryptionKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", encryptionKey, new Uint8Array(0), "tollgate-action-permit", 32));
}

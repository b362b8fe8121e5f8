import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ConfigError } from "../errors/index.js";
import { TokenDecryptError } from "./errors.js";

/**
 * Seals OAuth tokens for storage (docs/architecture.md#storage-and-services: tenants and their encrypted tokens).
 *
 * Format: `tg1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url parts). `tg1` is the format
 * version; `keyId` names the key, so a new `TOLLGATE_ENCRYPTION_KEY` can be rolled in while the
 * old one stays readable in `previousKeys`. AES-256-GCM with a random 12-byte IV (NIST SP
 * 800-38D's recommended length); the header and the caller's `context` are authenticated data,
 * so a ciphertext copied to another tenant's row or column fails to open.
 *
 * @example
 * const cipher = createTokenCipher({ key: process.env.TOLLGATE_ENCRYPTION_KEY! });
 * const sealed = cipher.encrypt(accessToken, "123456:access");
 * cipher.decrypt(sealed, "123456:access") === accessToken;
 */
export interface TokenCipher {
  /** Id of the key new ciphertexts are sealed with. */
  readonly keyId: string;
  encrypt(plaintext: string, context?: string): string;
  /** @throws TokenDecryptError when malformed, sealed with an unknown key, or altered. */
  decrypt(ciphertext: string, context?: string): string;
  /** True when `ciphertext` was sealed with a previous key and should be re-encrypted. */
  isStale(ciphertext: string): boolean;
}

export interface TokenCipherOptions {
  /** 32 bytes, as 64 hex characters (`TOLLGATE_ENCRYPTION_KEY`) or a Buffer. */
  key: string | Buffer;
  /** Keys that may still open old ciphertexts during a rotation. */
  previousKeys?: readonly (string | Buffer)[];
}

const FORMAT = "tg1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createTokenCipher(options: TokenCipherOptions): TokenCipher {
  const current = toKey(options.key);
  const keys = new Map<string, Buffer>([[current.id, current.bytes]]);
  for (const k of options.previousKeys ?? []) {
    const prev = toKey(k);
    if (!keys.has(prev.id)) keys.set(prev.id, prev.bytes);
  }

  return {
    keyId: current.id,
    encrypt(plaintext, context = "") {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current.bytes, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(current.id, context));
      const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [FORMAT, current.id, b64(iv), b64(ct), b64(cipher.getAuthTag())].join(":");
    },
    decrypt(ciphertext, context = "") {
      const parts = parse(ciphertext);
      const key = keys.get(parts.keyId);
      if (!key) {
        throw new TokenDecryptError(
          "unknown_key",
          `Token was encrypted with key ${parts.keyId}, which is not configured (TOLLGATE_ENCRYPTION_KEY or a previous key).`,
        );
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, parts.iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(parts.keyId, context));
        decipher.setAuthTag(parts.tag);
        return Buffer.concat([decipher.update(parts.ct), decipher.final()]).toString("utf8");
      } catch {
        // GCM reports every mismatch the same way; the cause carries nothing worth keeping.
        throw new TokenDecryptError(
          "tampered",
          "Token failed authentication: the stored ciphertext was altered or belongs to another record.",
        );
      }
    },
    isStale(ciphertext) {
      return parse(ciphertext).keyId !== current.id;
    },
  };
}

function toKey(key: string | Buffer): { id: string; bytes: Buffer } {
  let bytes: Buffer;
  if (typeof key === "string") {
    if (!/^[0-9a-fA-F]{64}$/.test(key))
      throw new ConfigError("TOLLGATE_ENCRYPTION_KEY: must be 32 bytes as 64 hex characters");
    bytes = Buffer.from(key, "hex");
  } else {
    if (key.length !== 32) throw new ConfigError("TOLLGATE_ENCRYPTION_KEY: must be 32 bytes as 64 hex characters");
    bytes = Buffer.from(key);
  }
  // A short fingerprint, domain-separated so it is never the hash of the key used elsewhere.
  const id = createHash("sha256").update("tollgate-token-key-id\0").update(bytes).digest("hex").slice(0, 8);
  return { id, bytes };
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; ct: Buffer; tag: Buffer } {
  const parts = ciphertext.split(":");
  const [format, keyId, iv, ct, tag] = parts;
  const b64url = /^[A-Za-z0-9_-]*$/;
  if (
    parts.length !== 5 ||
    format !== FORMAT ||
    !keyId ||
    iv === undefined ||
    ct === undefined ||
    tag === undefined ||
    ![iv, ct, tag].every((p) => b64url.test(p))
  ) {
    throw new TokenDecryptError("malformed", `Token ciphertext is not in the ${FORMAT} format.`);
  }
  const out = {
    keyId,
    iv: Buffer.from(iv, "base64url"),
    ct: Buffer.from(ct, "base64url"),
    tag: Buffer.from(tag, "base64url"),
  };
  if (out.iv.length !== IV_BYTES || out.tag.length !== TAG_BYTES) {
    throw new TokenDecryptError("malformed", `Token ciphertext is not in the ${FORMAT} format.`);
  }
  return out;
}

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${FORMAT}:${keyId}:${context}`, "utf8");
}

function b64(buf: Buffer): string {
  return buf.toString("base64url");
}

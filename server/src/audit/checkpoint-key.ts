import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { ValidationError } from "../errors/index.js";

const HKDF_INFO = "tollgate-audit-checkpoint";
// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface CheckpointKey {
  /** First 16 hex characters of sha256(public key, SPKI DER). */
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** The 32-byte seed the key was made from (as secret as the private key). */
  seed: Buffer;
}

/**
 * The checkpoint signing key, derived from TOLLGATE_ENCRYPTION_KEY (64 hex characters) with
 * HKDF-SHA256 (no salt, info "tollgate-audit-checkpoint"), so a restarted server signs with the
 * same key and no second secret has to be configured. A separate info string keeps this key
 * independent of the token-encryption key.
 */
export function deriveCheckpointKey(encryptionKeyHex: string): CheckpointKey {
  if (!/^[0-9a-fA-F]{64}$/.test(encryptionKeyHex)) {
    throw new ValidationError("encryption key must be 32 bytes as 64 hex characters", [
      { path: ["TOLLGATE_ENCRYPTION_KEY"], message: "not 64 hex characters" },
    ]);
  }
  const seed = Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKeyHex, "hex"), Buffer.alloc(0), HKDF_INFO, 32));
  return checkpointKeyFromSeed(seed);
}

/** The Ed25519 key whose private scalar comes deterministically from a 32-byte seed. */
export function checkpointKeyFromSeed(seed: Uint8Array): CheckpointKey {
  if (seed.length !== 32)
    throw new ValidationError("checkpoint signing seed must be 32 bytes", [
      { path: ["signingSeed"], message: `got ${seed.length} bytes` },
    ]);
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: publicKeyId(publicKey),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    seed: Buffer.from(seed),
  };
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ format: "der", type: "spki" }))
    .digest("hex")
    .slice(0, 16);
}

import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { ValidationError } from "../errors/index.js";
import { checkpointPayload } from "./sign-checkpoint.js";
import type { AuditCheckpoint } from "./types.js";

/**
 * Whether `checkpoint` was signed by the private half of `publicKeyPem` (SPKI PEM), over
 * exactly its tenant_id, seq, hash and at. Needs nothing but the public key.
 * @throws ValidationError when the PEM is not an Ed25519 public key
 */
export function verifyCheckpoint(checkpoint: AuditCheckpoint, publicKeyPem: string | KeyObject): boolean {
  const key = typeof publicKeyPem === "string" ? parsePublicKey(publicKeyPem) : publicKeyPem;
  if (typeof checkpoint.signature !== "string" || !Number.isSafeInteger(checkpoint.seq)) return false;
  try {
    return verify(null, checkpointPayload(checkpoint), key, Buffer.from(checkpoint.signature, "base64"));
  } catch {
    return false;
  }
}

function parsePublicKey(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === "ed25519") return key;
  } catch {
    // reported below
  }
  throw new ValidationError("not an Ed25519 public key in PEM form", [
    { path: ["publicKeyPem"], message: "expected an SPKI PEM Ed25519 key" },
  ]);
}

import { sign } from "node:crypto";
import { canonicalJson } from "../../../shared/index.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import type { AuditCheckpoint } from "./types.js";

/** The exact bytes a checkpoint signature covers: canonical_json({at, hash, seq, tenant_id}). */
export function checkpointPayload(head: Pick<AuditCheckpoint, "tenant_id" | "seq" | "hash" | "at">): Buffer {
  return Buffer.from(canonicalJson({ tenant_id: head.tenant_id, seq: head.seq, hash: head.hash, at: head.at }), "utf8");
}

/** Signs a chain head with Ed25519. Pure apart from the key. */
export function signCheckpoint(
  head: Pick<AuditCheckpoint, "tenant_id" | "seq" | "hash" | "at">,
  key: CheckpointKey,
): AuditCheckpoint {
  return {
    tenant_id: head.tenant_id,
    seq: head.seq,
    hash: head.hash,
    at: head.at,
    key_id: key.keyId,
    signature: sign(null, checkpointPayload(head), key.privateKey).toString("base64"),
  };
}

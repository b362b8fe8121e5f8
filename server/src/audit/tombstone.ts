import { sign, verify, type KeyObject } from "node:crypto";
import { canonicalJson, type AuditEventInput } from "../../../shared/index.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import { systemEvent } from "./record-checkpoint.js";

/** The action of the event that stands in the chain for events archived and removed by retention. */
export const AUDIT_RETENTION_ACTION = "audit_retention";

/**
 * What retention archived and removed, signed with the checkpoint key (docs/operations.md,
 * security): the archived range of one tenant's chain, the hash just before it (where the
 * archive's chain starts) and its last hash (where what is left in the database continues),
 * and the SHA-256 of the archive file. Whoever holds the database but not the key cannot forge
 * one, so removing events without a real archive is still caught by `verify`.
 */
export interface AuditTombstone {
  tenant_id: string;
  from_seq: number;
  through_seq: number;
  prev_hash: string;
  through_hash: string;
  events: number;
  /** The archive's file name (in the checkpoint directory, under the tenant's folder). */
  archive: string;
  archive_sha256: string;
  at: string;
  key_id: string;
  /** Base64 Ed25519 signature over tombstonePayload(). */
  signature: string;
}

// A purpose of its own, so a checkpoint's signature can never pass for a tombstone's.
function tombstonePayload(t: Omit<AuditTombstone, "key_id" | "signature">): Buffer {
  const { tenant_id, from_seq, through_seq, prev_hash, through_hash, events, archive, archive_sha256, at } = t;
  const fields = { tenant_id, from_seq, through_seq, prev_hash, through_hash, events, archive, archive_sha256, at };
  return Buffer.from(canonicalJson({ purpose: AUDIT_RETENTION_ACTION, ...fields }), "utf8");
}

export function signTombstone(t: Omit<AuditTombstone, "key_id" | "signature">, key: CheckpointKey): AuditTombstone {
  const signature = sign(null, tombstonePayload(t), key.privateKey).toString("base64");
  return { ...t, key_id: key.keyId, signature };
}

/** Whether `t` is a tombstone the private half of `publicKey` signed, unchanged. */
export function verifyTombstone(t: AuditTombstone, publicKey: KeyObject): boolean {
  if (typeof t.signature !== "string" || !Number.isSafeInteger(t.through_seq)) return false;
  try {
    return verify(null, tombstonePayload(t), publicKey, Buffer.from(t.signature, "base64"));
  } catch {
    return false;
  }
}

/** The tombstone an `audit_retention` event carries (`evidence.tombstone`), if it is one. */
export function tombstoneOf(event: Record<string, unknown>): AuditTombstone | undefined {
  if (event.action !== AUDIT_RETENTION_ACTION) return undefined;
  const t = (event.evidence as { tombstone?: AuditTombstone } | null)?.tombstone;
  return t && typeof t.through_seq === "number" && typeof t.through_hash === "string" ? t : undefined;
}

/** The event that records a tombstone in the chain; appended in the transaction that removes the events. */
export function tombstoneEvent(t: AuditTombstone, retentionDays: number | null): AuditEventInput {
  const older = retentionDays === null ? "" : ` (older than ${retentionDays} days)`;
  const reason = `archived and removed events ${t.from_seq}–${t.through_seq}${older}`;
  return systemEvent(t.tenant_id, t.at, "retention", AUDIT_RETENTION_ACTION, reason, { tombstone: t });
}

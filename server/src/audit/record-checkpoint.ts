import type { AuditEventInput } from "../../../shared/index.js";
import type { AuditCheckpoint } from "./types.js";

/** The action of the event that records a signed checkpoint in the chain itself. */
export const AUDIT_CHECKPOINT_ACTION = "audit_checkpoint";

/**
 * The event that records a checkpoint in the chain it signs (docs/operations.md, security): once
 * recorded, deleting the checkpoint row is noticed by `verify`, since the event naming it is
 * hash-chained and anchored by every later checkpoint and shipped file.
 */
export function checkpointEvent(cp: AuditCheckpoint, publicKeyPem: string | null): AuditEventInput {
  return systemEvent(
    cp.tenant_id,
    cp.at,
    "checkpoint",
    AUDIT_CHECKPOINT_ACTION,
    `signed the chain head at seq ${cp.seq}`,
    {
      checkpoint: cp,
      publicKeyPem,
    },
  );
}

/** An event Tollgate itself records about its own audit log (checkpoints, retention). */
export function systemEvent(
  tenantId: string,
  at: string,
  via: string,
  action: string,
  reason: string,
  evidence: Record<string, unknown>,
): AuditEventInput {
  return {
    tenant_id: tenantId,
    occurred_at: at,
    actor: { type: "system", id: "tollgate", role: null, via },
    action,
    reason,
    evidence,
  };
}

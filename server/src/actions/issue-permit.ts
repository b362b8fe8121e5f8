import { randomUUID } from "node:crypto";
import type { ActionPermit, ActionRequest } from "../../../shared/index.js";
import { permitDigest } from "../../../shared/index.js";
import { storedFieldsCovering } from "../killswitch/index.js";
import { killSwitchKeysOf, type DecisionInput } from "../policy/index.js";
import { signPermit } from "./permit.js";

/** A `permits` row (sql/insert-permit.sql), stored with the decision that issued it. */
export interface PermitRow {
  permitId: string;
  tenantId: string;
  agentId: string;
  action: string;
  digest: string;
  /**
   * The stored switches that would stop this action (killswitch `storedFieldsCovering`): one turned on later revokes
   * it.
   */
  killKeys: string[];
  issuedAt: string;
  expiresAt: string;
}

/**
 * A permit for an allowed action Tollgate cannot perform itself: the row to store (once the
 * decision's event id is known) and the answer's `permit`, signed when a key is configured.
 * Bound to the action's digest (shared/permit.ts): recipient, subject, body hash, template.
 */
export function issuePermit(o: {
  tenantId: string;
  agentId: string;
  r: ActionRequest;
  objectType: string | undefined;
  input: DecisionInput;
  role: string | null;
  at: Date;
  expiresAt: string;
}): { row: (eventId: string) => PermitRow; wire: (eventId: string, secret?: Uint8Array) => ActionPermit } {
  const permitId = randomUUID();
  const p = o.r.payload ?? {};
  const digest = permitDigest({
    action: o.r.action,
    to: p.to,
    subject: p.subject,
    body: p.body,
    template: p.template,
    sequenceId: p.sequenceId,
    meetingAt: p.meetingAt,
  });
  return {
    row: () => ({
      permitId,
      tenantId: o.tenantId,
      agentId: o.agentId,
      action: o.r.action,
      digest,
      killKeys: storedFieldsCovering(killSwitchKeysOf(o.input, o.role ?? undefined)),
      issuedAt: o.at.toISOString(),
      expiresAt: o.expiresAt,
    }),
    wire: (eventId, secret) => ({
      eventId,
      expiresAt: o.expiresAt,
      digest,
      ...(secret
        ? {
            token: signPermit(secret, {
              permitId,
              tenantId: o.tenantId,
              agentId: o.agentId,
              action: o.r.action,
              objectType: o.objectType ?? null,
              objectId: o.r.objectId ?? null,
              digest,
              eventId,
              expiresAt: o.expiresAt,
            }),
          }
        : {}),
    }),
  };
}

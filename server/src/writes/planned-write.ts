import { z } from "zod";
import { CRMS } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";

/** Why Tollgate writes to a CRM record; every write the queue carries has one. */
export const WRITE_PURPOSES = ["revert", "apply", "provenance", "clear_shadow", "rollback", "agent_action"] as const;
export type WritePurpose = (typeof WRITE_PURPOSES)[number];

/** `cancelled`: a kill switch covered an agent's write before it was sent (docs/operations.md, containment). */
export const WRITE_STATUSES = ["pending", "in_flight", "done", "failed", "skipped", "cancelled"] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

/** One intended property write, as a caller plans it. */
export const plannedWriteSchema = z.object({
  tenantId: z.string().min(1),
  crm: z.enum(CRMS),
  /** The CRM's own API name (`contacts`, `Lead`). */
  objectType: z.string().min(1),
  objectId: z.string().min(1),
  /** `""` clears a value (HubSpot) — the connector maps it for its CRM. */
  properties: z.record(z.string().min(1), z.string()).refine((p) => Object.keys(p).length > 0, "at least one property"),
  purpose: z.enum(WRITE_PURPOSES),
  /** The agent whose action this serves; null (default) for Tollgate's protective writes. */
  agentId: z.string().min(1).nullable().default(null),
  /**
   * The audit event of the decision or intent this write carries out. Required: intent is
   * written before it is executed (docs/contracts.md#rules-that-never-bend).
   */
  causedBy: z.string().min(1),
  /** `{property: value}` the record must still hold when sent; the `guard` checks it. */
  expected: z.record(z.string().min(1), z.string().nullable()).nullable().default(null),
  /** Properties whose values the CRM marks sensitive: the write's audit event keeps only their hashes. */
  sensitiveFields: z.array(z.string().min(1)).default([]),
});

export type PlannedWrite = z.input<typeof plannedWriteSchema>;
export type ParsedPlannedWrite = z.output<typeof plannedWriteSchema>;

/** Validates a batch of planned writes; bad input throws and nothing is inserted. */
export function parsePlannedWrites(writes: readonly unknown[]): ParsedPlannedWrite[] {
  const result = z.array(plannedWriteSchema).safeParse(writes);
  if (!result.success) {
    throw new ValidationError("invalid planned CRM write", {
      issues: result.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message })),
    });
  }
  return result.data;
}

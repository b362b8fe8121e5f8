import type { AuditEventInput } from "../../../shared/index.js";
import type { CrmWriteRow, WriteCancel } from "./types.js";

/** A row's final outcome, before it is recorded. */
export interface WriteOutcome {
  row: CrmWriteRow;
  status: "done" | "failed" | "skipped" | "cancelled";
  /** Why it failed, was skipped or was cancelled. */
  error: string | null;
  /** Whether this flush sent it to the CRM (counts as an attempt). */
  sent: boolean;
  /** The kill switch that cancelled it (status `cancelled`). */
  cancel?: WriteCancel;
}

/**
 * The audit event recording one row's outcome: Tollgate (system) wrote — or did not — these
 * properties, because of the event `caused_by` names. A skipped row is a conflict: nothing was
 * written, so its result is `failed` with the reason and a `conflict` flag. A cancelled row was
 * never sent: its event is caused by the kill switch that cancelled it (who and why in `reason`),
 * and names the decision it would have carried out (`evidence.plannedBy`).
 */
export function buildWriteAuditEvent(outcome: WriteOutcome): AuditEventInput {
  const { row, cancel } = outcome;
  const base = plainEvent(outcome);
  if (!cancel) return base;
  return {
    ...base,
    diff_summary: "cancelled: kill switch",
    reason: `cancelled ${row.purpose} for agent ${row.agentId ?? "?"}: ${cancel.reason}`,
    risk_flags: ["kill_switch_cancelled"],
    caused_by: cancel.causedBy,
    evidence: { plannedBy: row.causedBy, writeId: row.id },
  };
}

function plainEvent(outcome: WriteOutcome): AuditEventInput {
  const { row } = outcome;
  return {
    tenant_id: row.tenantId,
    actor: { type: "system", id: "tollgate", role: null, via: "crm_write_queue" },
    action: "crm_write",
    crm: row.crm,
    object_type: row.objectType,
    object_id: row.objectId,
    // The value the write was planned against, when the caller gave one; the CRM's current value
    // is not read back (that would cost a call per batch).
    field_diffs: Object.entries(row.properties).map(([field, after]) => ({
      field,
      before: row.expected?.[field] ?? null,
      after,
    })),
    diff_summary: outcome.status === "skipped" ? "skipped: conflict" : null,
    reason: row.agentId ? `${row.purpose} for agent ${row.agentId}` : row.purpose,
    risk_flags: outcome.status === "skipped" ? ["conflict"] : [],
    connector: row.crm,
    caused_by: row.causedBy,
    // The CRM marks the values sensitive: the audit keeps only their keyed hashes (docs/contracts.md).
    ...(row.sensitiveFields?.length ? { sensitive_fields: row.sensitiveFields } : {}),
    result: outcome.status === "done" ? "ok" : "failed",
    error: outcome.error,
  };
}

import type { AuditEvent, ProvenancePage } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { ValidationError } from "../errors/index.js";
import { loadSql } from "./load-sql.js";
import { PROVENANCE_ACTIONS, toProvenanceChanges, type ApprovalSummary } from "./to-provenance-changes.js";

export interface ProvenanceQuery {
  tenantId: string;
  objectType: string;
  objectId: string;
  /** Audit events per page (an event touching several fields gives several entries). */
  limit: number;
  cursor?: string | undefined;
}

/**
 * The governed changes of one record, newest first, from the audit log (read only; the log's
 * `(tenant_id, object_type, object_id, id)` index serves it), with the approvals they name.
 */
export async function listRecordProvenance(db: Sql, q: ProvenanceQuery): Promise<ProvenancePage> {
  const before = q.cursor === undefined ? null : decodeCursor(q.cursor);
  const { rows } = await db.query<{ id: string | number; event: AuditEvent }>(loadSql("select-record-events"), [
    q.tenantId,
    q.objectType,
    q.objectId,
    [...PROVENANCE_ACTIONS],
    before,
    q.limit + 1,
  ]);
  const page = rows.slice(0, q.limit);
  const ids = [...new Set(page.flatMap((r) => (r.event.approval ? [r.event.approval.id] : [])))];
  const approvals = new Map<string, ApprovalSummary>();
  if (ids.length) {
    const found = await db.query<Record<string, unknown>>(loadSql("select-approval-summaries"), [q.tenantId, ids]);
    for (const r of found.rows) {
      approvals.set(r.id as string, {
        id: r.id as string,
        status: r.status as string,
        approvalsNeeded: Number(r.approvals_needed),
        approvedBy: ((r.approved_by as { id: string; name: string | null }[]) ?? []).map((b) => b.name ?? b.id),
        ruleId: (r.rule_id as string | null) ?? null,
        policyVersion: (r.policy_version as string | null) ?? null,
        rejectReason: (r.reject_reason as string | null) ?? null,
      });
    }
  }
  const last = page[page.length - 1];
  return {
    changes: toProvenanceChanges(
      page.map((r) => r.event),
      approvals,
    ),
    nextCursor:
      rows.length > q.limit && last
        ? Buffer.from(JSON.stringify({ before: String(last.id) }), "utf8").toString("base64url")
        : null,
  };
}

function decodeCursor(cursor: string): string {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { before?: unknown };
    if (typeof c.before === "string" && /^\d{1,19}$/.test(c.before)) return c.before;
  } catch {
    // fall through
  }
  throw new ValidationError("invalid provenance cursor", {
    issues: [{ path: "cursor", message: "not a cursor this endpoint issued" }],
  });
}

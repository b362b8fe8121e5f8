import type { Approval } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { NewApproval } from "../enforce/index.js";

/**
 * A pending approval to store: a shadow-field proposal or a direct write held for a person
 * (enforcement), or an action the gate parks — a verb (`action` and `field` name it) or an
 * `update_field` (`field_write`), with the run it belongs to.
 */
export type ApprovalToCreate = Omit<NewApproval, "agentRole" | "expiresAt" | "shadowField"> & {
  shadowField?: string | null;
  agentRole: string | null;
  expiresAt: Date | string;
  /** @defaultValue "field_write" */
  action?: string;
  runId?: string | null;
};

export interface ApprovalStore {
  /**
   * Stores a pending approval; an older pending one for the same record and field (or verb) is
   * superseded — the newest is the one a person should see. `now` stamps both (the caller's clock).
   */
  create(approval: ApprovalToCreate, options: { tx: Sql; now?: Date }): Promise<string>;
  get(tenantId: string, id: string, sql?: Sql): Promise<StoredApproval | undefined>;
  listForRecord(tenantId: string, objectType: string, objectId: string, limit?: number): Promise<StoredApproval[]>;
  listPending(tenantId?: string): Promise<StoredApproval[]>;
}

/** The approval as stored: the wire shape plus what the server needs to act on it. */
export interface StoredApproval extends Approval {
  tenantId: string;
  crm: "hubspot" | "salesforce";
  shadowField: string | null;
  agentId: string | null;
  agentRole: string | null;
  ruleId: string | null;
  policyVersion: string | null;
  proposalEventId: string | null;
  rejectedBy: string | null;
  updatedAt: string;
  /**
   * What the approval is for: `field_write` (a proposed field value, applied on approval), or a
   * verb the pre-write gate (`POST /v1/actions`) parked, such as `send_email`. Tollgate cannot
   * perform a verb itself: approving one only marks it approved, and the agent's retry with the
   * approval's id is then allowed. @defaultValue "field_write"
   */
  action?: string;
  /** The CRM marks the values sensitive: the approval's audit events keep only their hashes. */
  sensitive?: boolean;
}

/** Whether approving `a` calls for a CRM write (a field value) rather than an agent's retry (a verb). */
export function isFieldApproval(a: Pick<StoredApproval, "action">): boolean {
  return (a.action ?? "field_write") === "field_write";
}

const iso = (v: unknown) => new Date(v as string).toISOString();

export function toStoredApproval(r: Record<string, unknown>): StoredApproval {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    crm: r.crm as StoredApproval["crm"],
    status: r.status as StoredApproval["status"],
    objectType: r.object_type as string,
    objectId: r.object_id as string,
    field: r.field as string,
    shadowField: (r.shadow_field as string | null) ?? null,
    currentValue: (r.current_value as string | null) ?? null,
    proposedValue: (r.proposed_value as string | null) ?? null,
    confidence: r.confidence === null || r.confidence === undefined ? null : Number(r.confidence),
    source: (r.source as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    evidence: r.evidence ?? null,
    riskFlags: (r.risk_flags as string[]) ?? [],
    approvalsNeeded: Number(r.approvals_needed),
    approvedBy: (r.approved_by as StoredApproval["approvedBy"]) ?? [],
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    agentId: (r.agent_id as string | null) ?? null,
    agentRole: (r.agent_role as string | null) ?? null,
    ruleId: (r.rule_id as string | null) ?? null,
    policyVersion: (r.policy_version as string | null) ?? null,
    proposalEventId: (r.proposal_event_id as string | null) ?? null,
    rejectedBy: (r.rejected_by as string | null) ?? null,
    rejectReason: (r.reject_reason as string | null) ?? null,
    action: (r.action as string | undefined) ?? "field_write",
    sensitive: r.sensitive === true,
  };
}

export function createApprovalStore(db: Sql): ApprovalStore {
  return {
    async create(a, { tx, now }) {
      const action = a.action ?? "field_write";
      const at = now?.toISOString() ?? null;
      const newer = action === "field_write" ? "proposal" : "request";
      await tx.query(
        `UPDATE approvals SET status = 'rejected', reject_reason = $5, rejected_by = 'tollgate',
                updated_at = COALESCE($6::timestamptz, now())
          WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND field = $4 AND status = 'pending'`,
        [a.tenantId, a.objectType, a.objectId, a.field, `superseded by a newer ${newer}`, at],
      );
      await tx.query(
        `INSERT INTO approvals (id, tenant_id, crm, object_type, object_id, field, shadow_field, action, current_value,
                                proposed_value, confidence, source, reason, evidence, risk_flags, approvals_needed,
                                agent_id, agent_role, rule_id, policy_version, proposal_event_id, run_id, expires_at,
                                created_at, updated_at, sensitive)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17, $18, $19,
                 $20, $21, $22, $23, COALESCE($24::timestamptz, now()), COALESCE($24::timestamptz, now()), $25)`,
        [
          a.id,
          a.tenantId,
          a.crm,
          a.objectType,
          a.objectId,
          a.field,
          a.shadowField ?? null,
          action,
          a.currentValue,
          a.proposedValue,
          a.confidence,
          a.source,
          a.reason,
          JSON.stringify(a.evidence ?? null),
          JSON.stringify(a.riskFlags),
          a.approvalsNeeded,
          a.agentId,
          a.agentRole,
          a.ruleId,
          a.policyVersion,
          a.proposalEventId,
          a.runId ?? null,
          new Date(a.expiresAt).toISOString(),
          at,
          a.sensitive === true,
        ],
      );
      return a.id;
    },

    async get(tenantId, id, sql = db) {
      const { rows } = await sql.query<Record<string, unknown>>(
        "SELECT * FROM approvals WHERE tenant_id = $1 AND id = $2",
        [tenantId, id],
      );
      return rows[0] ? toStoredApproval(rows[0]) : undefined;
    },

    async listForRecord(tenantId, objectType, objectId, limit = 50) {
      // Two index walks instead of sorting the record's whole history: the open proposals (one
      // per field, approvals_one_pending) and the newest decided ones (approvals_by_record).
      const { rows } = await db.query<Record<string, unknown>>(
        `(SELECT 0 AS list_rank, * FROM approvals WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND status = 'pending')
         UNION ALL
         (SELECT 1 AS list_rank, * FROM approvals WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND status <> 'pending'
           ORDER BY created_at DESC LIMIT $4)
         ORDER BY list_rank, created_at DESC LIMIT $4`,
        [tenantId, objectType, objectId, limit],
      );
      return rows.map(toStoredApproval);
    },

    async listPending(tenantId) {
      const { rows } = await db.query<Record<string, unknown>>(
        "SELECT * FROM approvals WHERE status = 'pending' AND ($1::text IS NULL OR tenant_id = $1) ORDER BY expires_at",
        [tenantId ?? null],
      );
      return rows.map(toStoredApproval);
    },
  };
}

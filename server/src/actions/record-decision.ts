import type { ActionResponse, AuditEventInput } from "../../../shared/index.js";
import type { ApprovalToCreate } from "../approvals/index.js";
import type { NewException, PlannedCrmWrite } from "../enforce/index.js";
import type { IdempotencyKey, IdempotencyStore } from "./idempotency-store.js";
import type { PermitRow } from "./issue-permit.js";
import { loadSql } from "./load-sql.js";
import type { ActionGateOptions } from "./types.js";

/**
 * An approval for a verb (or an update_field, `field_write`), stored by approvals/; its proposal event is the
 * decision's.
 */
export type ActionApprovalRow = Omit<ApprovalToCreate, "proposalEventId"> & {
  /** The verb, or `field_write` for an update_field the approvals flow applies itself. */
  action: string;
  runId: string | null;
  expiresAt: string;
};

/**
 * Everything one decision writes, committed together (docs/contracts.md#rules-that-never-bend: the intent before the
 * execution).
 */
export interface Recording {
  event: AuditEventInput;
  /** An approved approval this action carries out: taken (approved → applied) first. */
  useApprovalId?: string | undefined;
  newApproval?: ActionApprovalRow | undefined;
  write?: ((eventId: string) => PlannedCrmWrite) | undefined;
  exception?: ((eventId: string) => NewException) | undefined;
  idempotency?: IdempotencyKey | undefined;
  /** A permit the answer carries: stored with the decision, so it can be used once and revoked. */
  permit?: ((eventId: string) => PermitRow) | undefined;
  /** The answer, once the event (and write) ids are known; stored with the idempotency key. */
  respond(eventId: string, writeId: string | undefined): ActionResponse;
}

/** Thrown inside the transaction when the approval was used by another request first; nothing is committed. */
export class ApprovalTakenError extends Error {}

type Deps = Pick<ActionGateOptions, "db" | "audit" | "writes" | "exceptions" | "approvals">;

/**
 * Writes one decision in ONE transaction: the approval it uses, its audit event, then what the
 * event decided — a new approval, a queued CRM write, an exception — and the idempotent answer.
 * @throws ApprovalTakenError when `useApprovalId` is no longer approved (rolled back)
 */
export async function recordDecision(
  deps: Deps,
  idempotency: IdempotencyStore,
  rec: Recording,
  now: Date,
): Promise<ActionResponse> {
  const at = now.toISOString();
  return deps.db.transaction(async (tx) => {
    if (rec.useApprovalId) {
      const used = await tx.query(loadSql("use-approval"), [rec.event.tenant_id, rec.useApprovalId, at]);
      if (used.rows.length === 0) throw new ApprovalTakenError(rec.useApprovalId);
    }
    const { event_id: eventId } = await deps.audit.append(rec.event, { tx });
    if (rec.newApproval) await deps.approvals.create({ ...rec.newApproval, proposalEventId: eventId }, { tx, now });
    let writeId: string | undefined;
    if (rec.write) [writeId] = await deps.writes.enqueue([rec.write(eventId)], { tx });
    if (rec.exception) await deps.exceptions.open([rec.exception(eventId)], { tx });
    if (rec.permit) {
      const p = rec.permit(eventId);
      await tx.query(loadSql("insert-permit"), [
        p.permitId,
        p.tenantId,
        p.agentId,
        eventId,
        p.action,
        p.digest,
        p.killKeys,
        p.issuedAt,
        p.expiresAt,
      ]);
    }
    const response = rec.respond(eventId, writeId);
    if (rec.idempotency) await idempotency.complete(tx, rec.idempotency, response, eventId, now);
    return response;
  });
}

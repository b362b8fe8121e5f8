import type { ActionResponse } from "../../../shared/index.js";
import type { NewException } from "../enforce/index.js";
import { CrmUnavailableError } from "./action-errors.js";
import { buildActionEvent } from "./build-action-event.js";
import { buildApprovalRow } from "./build-approval-row.js";
import { parksForApproval, type ActionVerdict } from "./decide-action.js";
import type { ActionContext, GateParts } from "./evaluate-action.js";
import { issuePermit } from "./issue-permit.js";
import { loadSql } from "./load-sql.js";
import { planFieldWrite } from "./plan-field-write.js";
import { recordDecision, type ActionApprovalRow } from "./record-decision.js";
import { describeAction } from "./summarize-action.js";
import { toResponse } from "./to-action-response.js";

type Linked = NonNullable<Parameters<typeof buildActionEvent>[2]["approval"]>;

/** A pending approval of the same action (same target, agent and digest), not yet expired. */
async function findPending(g: GateParts, c: ActionContext) {
  const { rows } = await g.options.db.query<{ id: string; expires_at: string | Date }>(
    loadSql("select-pending-approval"),
    [c.tenantId, c.target.objectType, c.target.objectId, c.r.action, c.agentId, c.digest, c.at.toISOString()],
  );
  return rows[0] ? { id: rows[0].id, expiresAt: new Date(rows[0].expires_at).toISOString() } : undefined;
}

/**
 * The approval a decision is linked to: the one it used, the template family, the pending one
 * the request carried, a pending one for the same action — or a new one when it parks.
 */
async function linkApproval(
  g: GateParts,
  c: ActionContext,
  v: ActionVerdict,
): Promise<{ linked: Linked | undefined; newApproval: ActionApprovalRow | undefined }> {
  const d = v.decision;
  const { r, approval } = c;
  if (v.used) return { linked: v.used, newApproval: undefined };
  if (c.family && d.outcome === "allow") return { linked: c.family, newApproval: undefined };
  if (!parksForApproval(d)) return { linked: undefined, newApproval: undefined };
  if (approval?.state === "pending") {
    const a = approval.approval;
    const linked = { id: a.id, approvers: a.approvedBy.map((b) => b.name ?? b.id), expiresAt: a.expiresAt };
    return { linked, newApproval: undefined };
  }
  const existing = r.action === "update_field" ? undefined : await findPending(g, c);
  if (existing) return { linked: { ...existing, approvers: [] }, newApproval: undefined };
  if (r.action === "update_field" && c.facts.before === undefined && g.options.readRecords) {
    const what = `${r.field} on ${c.target.objectType}/${c.target.objectId}`;
    throw new CrmUnavailableError(`could not read ${what} to show an approver: ${c.facts.beforeError ?? "no value"}`);
  }
  const newApproval = buildApprovalRow(c, v, new Date(c.at.getTime() + c.policy.approvalsExpireAfterMs));
  return { linked: { id: newApproval.id, approvers: [], expiresAt: newApproval.expiresAt }, newApproval };
}

/** The exception a refused action opens for a person. */
function refusalException(c: ActionContext, v: ActionVerdict, eventId: string): NewException {
  const d = v.decision;
  const { r } = c;
  return {
    tenantId: c.tenantId,
    kind: d.outcome === "killed" ? "action_killed" : c.proposal ? "proposal_refused" : "action_denied",
    ruleId: d.ruleId,
    agentId: c.agentId,
    crm: r.crm,
    objectType: c.objectType ?? null,
    objectId: r.objectId ?? null,
    field: r.field ?? r.action,
    eventId,
    summary: `${c.agentId} asked to ${describeAction(r, c.sensitive)}: ${d.outcome} (${d.reasons.join("; ")})`,
  };
}

/**
 * Records the decision in one transaction: the audit event, the approval used or created, the
 * CRM write of an executed `update_field`, the permit of an allowed action Tollgate does not
 * perform, the exception of a refusal, the idempotency answer.
 */
export async function recordAction(g: GateParts, c: ActionContext, v: ActionVerdict): Promise<ActionResponse> {
  const d = v.decision;
  const { tenantId, agentId, r, objectType, at } = c;
  const { linked, newApproval } = await linkApproval(g, c, v);
  const executes = d.outcome === "allow" && r.action === "update_field";
  const permitExpiresAt =
    d.outcome === "allow" && !executes ? new Date(at.getTime() + g.permitTtlMs).toISOString() : undefined;
  const permit = permitExpiresAt
    ? issuePermit({ tenantId, agentId, r, objectType, input: c.input, role: c.role, at, expiresAt: permitExpiresAt })
    : undefined;
  const event = buildActionEvent(r, v, {
    tenantId,
    agentId,
    role: c.role,
    via: c.caller.auditVia ?? `${c.caller.via}:${c.caller.name}`,
    objectType: objectType ?? null,
    objectId: r.objectId ?? null,
    before: c.facts.before,
    approval: linked,
    permitExpiresAt,
    sensitive: c.sensitive,
    at,
  });
  // A proposal is audited as the backstop audits a shadow-field write (enforce/ plan-proposal).
  if (c.proposal) event.action = "proposal";
  const refused = d.outcome === "deny" || d.outcome === "killed" || (d.outcome === "over_cap" && d.overCap !== "hold");
  return recordDecision(
    g.options,
    g.idempotency,
    {
      event,
      useApprovalId: v.used?.id,
      newApproval,
      write: executes
        ? (eventId) => planFieldWrite(tenantId, agentId, r, objectType!, eventId, at, c.sensitive)
        : undefined,
      exception: refused ? (eventId) => refusalException(c, v, eventId) : undefined,
      idempotency: c.key,
      permit: permit?.row,
      respond: (eventId, writeId) =>
        toResponse(r, v, {
          eventId,
          approvalId: linked?.id,
          writeId,
          permit: permit?.wire(eventId, g.options.permitSecret),
        }),
    },
    at,
  );
}

/** After commit: send the write, schedule the approval's expiry, feed the triggers. None of it may fail the answer. */
export async function afterAction(g: GateParts, c: ActionContext, v: ActionVerdict, response: ActionResponse) {
  const { options, logger } = g;
  const { tenantId, agentId, r } = c;
  const d = v.decision;
  if (response.writeId)
    await options.writes
      .kick([tenantId])
      .catch((err) =>
        logger.warn({ err: (err as Error).message, tenantId }, "write queue kick failed; the next kick sends it"),
      );
  if (response.approvalId && parksForApproval(d) && options.scheduleApprovals) {
    await options
      .scheduleApprovals(tenantId, [response.approvalId])
      .catch((err) =>
        logger.warn(
          { err: (err as Error).message, tenantId },
          "approval expiry not scheduled; the queue's rebuild schedules it",
        ),
      );
  }
  // Asking first is the opposite of a bypass: counted like a proposal (viaShadow), so a refusal
  // counts toward denials_per_minute and a killed request toward what its switch prevented.
  await options.guard?.settled(tenantId, [
    { agentId, role: c.role ?? "", viaShadow: true, decision: d, refused: false },
  ]);
  const log = { tenantId, agentId, action: r.action, outcome: d.outcome, ruleId: d.ruleId, eventId: response.eventId };
  if (d.outcome === "deny" || d.outcome === "killed") logger.warn(log, "agent action refused");
  else logger.info(log, "agent action decided");
}

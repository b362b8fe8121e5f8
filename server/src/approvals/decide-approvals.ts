import type { AuditEventInput } from "../../../shared/index.js";
import type { PlannedCrmWrite } from "../enforce/index.js";
import type { Sql } from "../db/index.js";
import {
  approveEvent,
  batchEvent,
  conflictEvent,
  expireEvent,
  humanActor,
  approvalEventBase,
  rejectEvent,
  type ManifestEntry,
} from "./approval-events.js";
import { isFieldApproval, toStoredApproval, type StoredApproval } from "./approval-store.js";
import { applyWrite, clearShadowWrite, rejectWrite } from "./approval-writes.js";
import { loadSql } from "./load-sql.js";
import { approvedByOf, planDecision, type ApprovedByEntry, type Plan } from "./plan-decision.js";
import { readCurrentValues } from "./read-current-values.js";
import type { ApprovalServiceOptions, Approver, DecisionItem, DecisionResult } from "./types.js";

/** A batch entry: an item to decide, or one already refused (malformed, duplicated). */
export type DecisionEntry = { item: DecisionItem } | { refused: DecisionResult; raw?: unknown };

type Deps = Pick<ApprovalServiceOptions, "db" | "audit" | "writes" | "snapshots" | "connectorFor" | "whyNotAllowed"> & {
  now: () => Date;
};

/**
 * Decides approvals in ONE transaction: lock the rows, plan each decision (pure), append the
 * audit event(s), record the new states and queue the CRM writes — intent before execution
 * (docs/contracts.md#rules-that-never-bend), so a crash leaves all of it or none. The CRM is read (when it must be)
 * before
 * the transaction, so no lock is held across a network call.
 *
 * `single`: one audit event per approval that changed. `batch`: ONE `approval_batch` event
 * with the manifest and every result, which each resulting write names as its cause.
 */
export async function decideApprovals(
  deps: Deps,
  tenantId: string,
  approver: Approver,
  entries: readonly DecisionEntry[],
  mode: "single" | "batch",
): Promise<DecisionResult[]> {
  const items = entries.flatMap((e) => ("item" in e ? [e.item] : []));
  const ids = [...new Set(items.map((i) => i.id))];
  const now = deps.now();

  const first = await selectApprovals(deps.db, tenantId, ids, "select-approvals");
  const toCheck = items
    .filter((i) => i.decision === "approve")
    .map((i) => first.get(i.id))
    .filter(
      (a): a is StoredApproval => !!a && a.status === "pending" && new Date(a.expiresAt).getTime() > now.getTime(),
    )
    // An approved verb (send_email…) changes no CRM field: there is no value to check.
    .filter(isFieldApproval);
  const current = await readCurrentValues(deps, tenantId, [...new Map(toCheck.map((a) => [a.id, a])).values()], now);

  const { results, wrote } = await deps.db.transaction(async (tx) => {
    const locked = await selectApprovals(tx, tenantId, ids, "lock-approvals");
    const plans = entries.map((e) => {
      if (!("item" in e)) return undefined;
      const a = locked.get(e.item.id);
      const notAllowed = a ? deps.whyNotAllowed?.(a, approver) : undefined;
      return planDecision(a, e.item, approver, current.get(e.item.id) ?? { state: "unknown" }, now, notAllowed);
    });
    const changing = plans.map((p, i) => (p && isChange(p) ? i : -1)).filter((i) => i >= 0);

    // The events, then their ids: single mode has one per changing plan, batch mode one in all.
    const events: AuditEventInput[] = [];
    const eventOfEntry = new Map<number, number>();
    if (mode === "batch") {
      const resultList = entries.map((e, i) => ("item" in e ? plans[i]!.result : e.refused));
      events.push(
        batchEvent(
          tenantId,
          approver,
          entries.map((e) => manifestEntry(e, locked)),
          resultList,
          now,
        ),
      );
      for (const i of changing) eventOfEntry.set(i, 0);
    } else {
      for (const i of changing)
        eventOfEntry.set(
          i,
          events.push(eventFor(plans[i]!, locked.get((entries[i] as { item: DecisionItem }).item.id)!, approver, now)) -
            1,
        );
      // An attempt to approve one's own proposal, or to decide outside the approver groups, is
      // recorded: it is an attempt to bypass R4.
      plans.forEach((p, i) => {
        const code = p?.kind === "refuse" ? p.result.error?.code : undefined;
        if (p?.kind === "refuse" && (code === "self_approval" || code === "not_an_approver")) {
          const a = locked.get((entries[i] as { item: DecisionItem }).item.id)!;
          events.push({
            ...approvalEventBase(
              a,
              humanActor(approver),
              approvedByOf(a).map((b) => b.name ?? b.id),
              now,
            ),
            result: "failed",
            error: p.result.error!.message,
            risk_flags: [code],
          });
        }
      });
    }
    const eventIds = events.length ? (await deps.audit.appendMany(events, { tx })).map((e) => e.event_id) : [];

    const writes: PlannedCrmWrite[] = [];
    for (const i of changing) {
      const plan = plans[i]!;
      const a = locked.get((entries[i] as { item: DecisionItem }).item.id)!;
      const eventId = eventIds[eventOfEntry.get(i)!]!;
      writes.push(...(await record(tx, a, plan, approver, eventId, now)));
    }
    if (writes.length) await deps.writes.enqueue(writes, { tx });
    return { results: entries.map((e, i) => ("item" in e ? plans[i]!.result : e.refused)), wrote: writes.length > 0 };
  });
  // The rows are committed; if the kick is lost they are flushed with the tenant's next kick
  // or on the queue's next start.
  if (wrote) await deps.writes.kick([tenantId]).catch(() => undefined);
  return results;
}

const isChange = (p: Plan) =>
  p.kind === "approve" || p.kind === "reject" || p.kind === "expire" || p.kind === "conflict";

function eventFor(plan: Plan, a: StoredApproval, approver: Approver, now: Date): AuditEventInput {
  switch (plan.kind) {
    case "approve":
      return approveEvent(a, approver, plan.reached, now);
    case "reject":
      return rejectEvent(a, approver, plan.reason, now);
    case "expire":
      return expireEvent(a, now, approver);
    case "conflict":
      return conflictEvent(a, approver, plan.current, now);
    default:
      throw new Error(`no event for a ${plan.kind} plan`);
  }
}

/** Writes one decision's new state and returns the CRM writes it calls for. */
async function record(
  tx: Sql,
  a: StoredApproval,
  plan: Plan,
  approver: Approver,
  eventId: string,
  now: Date,
): Promise<PlannedCrmWrite[]> {
  const at = now.toISOString();
  const update = (
    status: string,
    approvedBy: ApprovedByEntry[],
    rejectedBy: string | null = null,
    reason: string | null = null,
  ) =>
    tx.query(loadSql("update-decision"), [
      a.tenantId,
      a.id,
      status,
      JSON.stringify(approvedBy),
      rejectedBy,
      reason,
      at,
    ]);
  const defined = (w: PlannedCrmWrite | undefined): PlannedCrmWrite[] => (w ? [w] : []);
  switch (plan.kind) {
    case "approve": {
      const approvedBy = [
        ...approvedByOf(a),
        { id: approver.id, name: approver.name, email: approver.email ?? null, at, via: approver.via, eventId },
      ];
      await update(plan.reached ? "approved" : "pending", approvedBy);
      // A verb is not Tollgate's to perform: approving it lets the agent's retry through (actions/).
      return plan.reached && isFieldApproval(a) ? [applyWrite(a, eventId, now)] : [];
    }
    case "reject":
      await update("rejected", approvedByOf(a), approver.name, plan.reason);
      return defined(rejectWrite(a, eventId, approver.name, plan.reason));
    case "expire":
      await update("expired", approvedByOf(a));
      return defined(clearShadowWrite(a, eventId));
    case "conflict":
      await update("conflict", approvedByOf(a));
      return defined(clearShadowWrite(a, eventId));
    default:
      return [];
  }
}

function manifestEntry(e: DecisionEntry, approvals: Map<string, StoredApproval>): ManifestEntry {
  if (!("item" in e)) {
    return {
      id: e.refused.id,
      decision: null,
      objectType: null,
      objectId: null,
      field: null,
      seenValue: undefined,
      proposedValue: null,
      currentValue: null,
      reason: null,
    };
  }
  const a = approvals.get(e.item.id);
  // A value the CRM marks sensitive never reaches the audit (docs/contracts.md): the manifest omits it.
  if (a?.sensitive) {
    return {
      id: e.item.id,
      decision: e.item.decision,
      objectType: a.objectType,
      objectId: a.objectId,
      field: a.field,
      seenValue: undefined,
      proposedValue: null,
      currentValue: null,
      reason: e.item.reason ?? null,
      sensitive: true,
    };
  }
  return {
    id: e.item.id,
    decision: e.item.decision,
    objectType: a?.objectType ?? null,
    objectId: a?.objectId ?? null,
    field: a?.field ?? null,
    seenValue: e.item.expected?.value,
    proposedValue: a?.proposedValue ?? null,
    currentValue: a?.currentValue ?? null,
    reason: e.item.reason ?? null,
  };
}

async function selectApprovals(
  sql: Sql,
  tenantId: string,
  ids: readonly string[],
  query: "select-approvals" | "lock-approvals",
): Promise<Map<string, StoredApproval>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<Record<string, unknown>>(loadSql(query), [tenantId, ids]);
  return new Map(rows.map((r) => [r.id as string, toStoredApproval(r)]));
}

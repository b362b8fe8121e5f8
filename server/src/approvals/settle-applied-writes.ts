import type { PlannedCrmWrite } from "../enforce/index.js";
import type { CrmWriteRow } from "../writes/index.js";
import { reopenedEvent, settledEvent } from "./approval-events.js";
import { toStoredApproval, type StoredApproval } from "./approval-store.js";
import { clearShadowWrite } from "./approval-writes.js";
import { loadSql } from "./load-sql.js";
import type { ApprovalServiceOptions } from "./types.js";

type Deps = Pick<ApprovalServiceOptions, "db" | "audit" | "writes"> & { now: () => Date };

const FINAL = { done: "applied", skipped: "conflict", failed: "failed" } as const;
const SETTLED = new Set(["done", "skipped", "failed", "cancelled"]);

/**
 * The write queue's `onSettled` for approvals: an apply write caused by an approval's
 * decision event moves it from `approved` to `applied` (done), `conflict` (the guard skipped it:
 * a human changed the field since) or `failed`. Each transition happens once — only an
 * `approved` row moves — and is audited in the same transaction. A proposal that will not be
 * applied has its shadow field emptied. An apply a kill switch cancelled returns the approval to
 * `pending` (docs/operations.md#containment): a person decides again after the lift.
 * @returns how many approvals settled
 */
export async function settleAppliedWrites(deps: Deps, rows: readonly CrmWriteRow[]): Promise<number> {
  const applies = await withApprovals(
    deps,
    rows.filter((r) => r.purpose === "apply" && SETTLED.has(r.status)),
  );
  let settled = 0;
  const tenants = new Set<string>();
  for (const row of applies) {
    const wrote = await deps.db.transaction(async (tx) => {
      const { rows: found } = await tx.query<Record<string, unknown>>(loadSql("lock-approved-by-event"), [
        row.tenantId,
        row.objectType,
        row.objectId,
        Object.keys(row.properties),
        row.causedBy,
      ]);
      if (found.length === 0) return false;
      const now = deps.now();
      if (row.status === "cancelled") {
        settled += await reopen(deps, tx, found.map(toStoredApproval), row, now);
        return false;
      }
      const status = FINAL[row.status as keyof typeof FINAL];
      const approvals = found.map(toStoredApproval);
      const events = await deps.audit.appendMany(
        approvals.map((a) => settledEvent(a, row, status, now)),
        { tx },
      );
      const writes: PlannedCrmWrite[] = [];
      for (const [i, a] of approvals.entries()) {
        await tx.query(loadSql("update-decision"), [
          a.tenantId,
          a.id,
          status,
          JSON.stringify(a.approvedBy),
          null,
          null,
          now.toISOString(),
        ]);
        if (status !== "applied") {
          const clear = clearShadowWrite(a, events[i]!.event_id);
          if (clear) writes.push(clear);
        }
      }
      if (writes.length) await deps.writes.enqueue(writes, { tx });
      settled += approvals.length;
      return writes.length > 0;
    });
    if (wrote) tenants.add(row.tenantId);
  }
  if (tenants.size) await deps.writes.kick([...tenants]).catch(() => undefined);
  return settled;
}

/**
 * Back to `pending`, its approvals forgotten — or, when a newer proposal is pending on the field,
 * rejected as superseded (one pending proposal per field). The expiry sweep re-arms its timer.
 */
async function reopen(
  deps: Deps,
  tx: Parameters<Parameters<Deps["db"]["transaction"]>[0]>[0],
  approvals: StoredApproval[],
  row: CrmWriteRow,
  now: Date,
): Promise<number> {
  for (const a of approvals) {
    const { rows } = await tx.query<{ n: number }>(loadSql("count-pending-for-field"), [
      a.tenantId,
      a.objectType,
      a.objectId,
      a.field,
    ]);
    const superseded = (rows[0]?.n ?? 0) > 0;
    await deps.audit.appendMany([reopenedEvent(a, row, superseded, now)], { tx });
    await tx.query(loadSql("update-decision"), [
      a.tenantId,
      a.id,
      superseded ? "rejected" : "pending",
      superseded ? JSON.stringify(a.approvedBy) : "[]",
      superseded ? "tollgate" : null,
      superseded ? "superseded by a newer proposal (its apply was cancelled by a kill switch)" : null,
      now.toISOString(),
    ]);
  }
  return approvals.length;
}

/** The apply rows that carry out an approval (enforcement's auto-applies do not). */
async function withApprovals(deps: Deps, rows: CrmWriteRow[]): Promise<CrmWriteRow[]> {
  const byTenant = new Map<string, CrmWriteRow[]>();
  for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
  const out: CrmWriteRow[] = [];
  for (const [tenantId, group] of byTenant) {
    const { rows: approved } = await deps.db.query<{
      object_type: string;
      object_id: string;
      field: string;
      event_id: string | null;
    }>(loadSql("select-approved-for-records"), [
      tenantId,
      [...new Set(group.map((r) => r.objectType))],
      [...new Set(group.map((r) => r.objectId))],
    ]);
    const keys = new Set(
      approved.map((a) => `${a.object_type}\u0000${a.object_id}\u0000${a.field}\u0000${a.event_id}`),
    );
    out.push(
      ...group.filter((r) =>
        Object.keys(r.properties).some((f) =>
          keys.has(`${r.objectType}\u0000${r.objectId}\u0000${f}\u0000${r.causedBy}`),
        ),
      ),
    );
  }
  return out;
}

/** Settles what `settleAppliedWrites` missed (its callback runs after the write's commit). */
export async function reconcileAppliedWrites(deps: Deps, tenantId?: string): Promise<number> {
  const { rows } = await deps.db.query<Record<string, unknown>>(loadSql("select-settled-unreconciled"), [
    tenantId ?? null,
  ]);
  return settleAppliedWrites(
    deps,
    rows.map((r) => ({
      id: r.id as string,
      seq: String(r.seq),
      tenantId: r.tenant_id as string,
      crm: r.crm as CrmWriteRow["crm"],
      objectType: r.object_type as string,
      objectId: r.object_id as string,
      properties: r.properties as Record<string, string>,
      purpose: r.purpose as CrmWriteRow["purpose"],
      agentId: (r.agent_id as string | null) ?? null,
      causedBy: r.caused_by as string,
      expected: (r.expected as Record<string, string | null> | null) ?? null,
      status: r.status as CrmWriteRow["status"],
      attempts: Number(r.attempts),
      lastError: (r.last_error as string | null) ?? null,
      resultEventId: (r.result_event_id as string | null) ?? null,
      notBefore: null,
      createdAt: new Date(r.created_at as string),
      updatedAt: new Date(r.updated_at as string),
      doneAt: r.done_at ? new Date(r.done_at as string) : null,
    })),
  );
}

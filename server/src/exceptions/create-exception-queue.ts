import { z } from "zod";
import type { AuditActor, AuditEventInput } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors/index.js";
import {
  EXCEPTION_STATES,
  EXCEPTION_TRANSITIONS,
  canTransition,
  type ExceptionState,
} from "./exception-transitions.js";
import { loadSql } from "./load-sql.js";
import { toExceptionRow, type ExceptionNote, type ExceptionRow } from "./to-exception-row.js";

export interface ExceptionQueueOptions {
  db: Database;
  /** Assignments and transitions are audited. */
  audit: { append(input: AuditEventInput, opts?: { tx?: Sql }): Promise<{ event_id: string }> };
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

export interface ExceptionFilter {
  state?: ExceptionState;
  /** true: only past an SLA deadline; false: only within them. */
  overdue?: boolean;
  owner?: string;
  /** @defaultValue 100 (at most 1000) */
  limit?: number;
}

export interface ExceptionQueue {
  list(tenantId: string, filter?: ExceptionFilter): Promise<ExceptionRow[]>;
  get(tenantId: string, id: string): Promise<ExceptionRow | undefined>;
  /** Gives the exception an owner (audited `exception_assign`). */
  assign(tenantId: string, id: string, owner: string, by: AuditActor): Promise<ExceptionRow>;
  /**
   * Moves it along open → reviewing → remediated → closed (audited `exception_transition`).
   * @throws ConflictError for a move the state does not allow
   */
  transition(
    tenantId: string,
    id: string,
    to: { state: ExceptionState; note?: string | undefined },
    by: AuditActor,
  ): Promise<ExceptionRow>;
}

export const exceptionTransitionSchema = z.strictObject({
  state: z.enum(EXCEPTION_STATES),
  note: z.string().max(5000).optional(),
});
export const exceptionAssignSchema = z.strictObject({ owner: z.string().min(1).max(200) });

/**
 * The exception queue people work (requirements R9): every action that failed a rule, with an
 * owner and SLA timers — 24 h to review, 72 h to remediate — and an audited trail of each move.
 */
export function createExceptionQueue(options: ExceptionQueueOptions): ExceptionQueue {
  const { db } = options;
  const now = options.now ?? (() => new Date());

  async function update(
    tenantId: string,
    id: string,
    by: AuditActor,
    change: (row: ExceptionRow) => { state: ExceptionState; owner: string | null; note: string | null; action: string },
  ) {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<Record<string, unknown>>(
        "SELECT * FROM exceptions WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        [tenantId, id],
      );
      if (!rows[0]) throw new NotFoundError(`no exception ${id}`);
      const at = now();
      const current = toExceptionRow(rows[0], at);
      const next = change(current);
      const from = current.state === next.state ? null : current.state;
      await options.audit.append(
        {
          tenant_id: tenantId,
          actor: by,
          action: next.action,
          crm: current.crm,
          object_type: current.objectType,
          object_id: current.objectId,
          reason: next.note,
          evidence: {
            exceptionId: id,
            kind: current.kind,
            from: current.state,
            to: next.state,
            owner: next.owner,
            overdue: current.overdue,
          },
          caused_by: current.eventId,
        },
        { tx },
      );
      const note: ExceptionNote = {
        at: at.toISOString(),
        by: by.id,
        from,
        to: from ? next.state : null,
        note: next.note,
        ...(next.owner !== current.owner ? { owner: next.owner } : {}),
      };
      const updated = await tx.query<Record<string, unknown>>(loadSql("update-exception"), [
        tenantId,
        id,
        next.state,
        next.owner,
        JSON.stringify(note),
        at.toISOString(),
      ]);
      return toExceptionRow(updated.rows[0]!, at);
    });
  }

  return {
    async list(tenantId, filter = {}) {
      const at = now();
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      const { rows } = await db.query<Record<string, unknown>>(loadSql("list-exceptions"), [
        tenantId,
        filter.state ?? null,
        filter.overdue ?? null,
        at.toISOString(),
        filter.owner ?? null,
        limit,
      ]);
      return rows.map((r) => toExceptionRow(r, at));
    },

    async get(tenantId, id) {
      const { rows } = await db.query<Record<string, unknown>>(
        "SELECT * FROM exceptions WHERE tenant_id = $1 AND id = $2",
        [tenantId, id],
      );
      return rows[0] ? toExceptionRow(rows[0], now()) : undefined;
    },

    assign(tenantId, id, owner, by) {
      const parsed = exceptionAssignSchema.safeParse({ owner });
      if (!parsed.success) return Promise.reject(new ValidationError("invalid owner: expected 1 to 200 characters"));
      return update(tenantId, id, by, (row) => {
        if (row.state === "closed") throw new ConflictError(`exception ${id} is closed`);
        return { state: row.state, owner: parsed.data.owner, note: null, action: "exception_assign" };
      });
    },

    transition(tenantId, id, to, by) {
      const parsed = exceptionTransitionSchema.safeParse(to);
      if (!parsed.success)
        return Promise.reject(
          new ValidationError(`invalid transition: state must be one of ${EXCEPTION_STATES.join(", ")}`),
        );
      return update(tenantId, id, by, (row) => {
        if (!canTransition(row.state, parsed.data.state)) {
          throw new ConflictError(
            `exception ${id} is ${row.state}: it can move to ${EXCEPTION_TRANSITIONS[row.state].join(" or ") || "nothing"}`,
            { state: row.state, allowed: EXCEPTION_TRANSITIONS[row.state] },
          );
        }
        // Whoever starts reviewing an unowned exception owns it.
        const owner = row.owner ?? (parsed.data.state === "reviewing" ? by.id : null);
        return { state: parsed.data.state, owner, note: parsed.data.note ?? null, action: "exception_transition" };
      });
    },
  };
}

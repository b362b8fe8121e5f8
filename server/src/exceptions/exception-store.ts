import { randomUUID } from "node:crypto";
import type { Sql } from "../db/index.js";
import type { NewException } from "../enforce/index.js";
import { toExceptionRow, type ExceptionRow } from "./to-exception-row.js";

/** Requirements R9: 24 hours to review an exception, 72 to remediate it. */
export const REVIEW_SLA_MS = 24 * 3600_000;
export const REMEDIATE_SLA_MS = 72 * 3600_000;

export interface ExceptionStore {
  open(exceptions: readonly NewException[], options: { tx: Sql }): Promise<void>;
  list(tenantId: string, filter?: { state?: ExceptionRow["state"]; limit?: number }): Promise<ExceptionRow[]>;
}

/** The exception queue: every action that failed a rule, with an owner and SLA timers. */
export function createExceptionStore(db: Sql, options: { now?: () => Date } = {}): ExceptionStore {
  const now = options.now ?? (() => new Date());
  return {
    async open(exceptions, { tx }) {
      if (exceptions.length === 0) return;
      const at = now();
      await tx.query(
        `INSERT INTO exceptions (id, tenant_id, kind, rule_id, agent_id, crm, object_type, object_id, field, event_id, summary, review_due_at, remediate_due_at, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[])`,
        [
          exceptions.map(() => randomUUID()),
          exceptions.map((e) => e.tenantId),
          exceptions.map((e) => e.kind),
          exceptions.map((e) => e.ruleId),
          exceptions.map((e) => e.agentId),
          exceptions.map((e) => e.crm),
          exceptions.map((e) => e.objectType),
          exceptions.map((e) => e.objectId),
          exceptions.map((e) => e.field),
          exceptions.map((e) => e.eventId),
          exceptions.map((e) => e.summary),
          exceptions.map(() => new Date(at.getTime() + REVIEW_SLA_MS).toISOString()),
          exceptions.map(() => new Date(at.getTime() + REMEDIATE_SLA_MS).toISOString()),
          exceptions.map(() => at.toISOString()),
        ],
      );
    },

    async list(tenantId, filter = {}) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM exceptions WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC LIMIT $3`,
        [tenantId, filter.state ?? null, filter.limit ?? 100],
      );
      const at = now();
      return rows.map((r) => toExceptionRow(r, at));
    },
  };
}

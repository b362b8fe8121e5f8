import type { NewException } from "../enforce/index.js";
import { slaStatus, type ExceptionState } from "./exception-transitions.js";

export interface ExceptionNote {
  at: string;
  by: string;
  from: ExceptionState | null;
  to: ExceptionState | null;
  note: string | null;
  owner?: string | null;
}

export interface ExceptionRow extends NewException {
  id: string;
  owner: string | null;
  state: ExceptionState;
  reviewDueAt: string;
  remediateDueAt: string;
  createdAt: string;
  /** Past either SLA deadline (see `slaStatus`). */
  overdue: boolean;
  reviewOverdue: boolean;
  remediateOverdue: boolean;
  /** Who moved it, when, and what they said. */
  notes: ExceptionNote[];
}

/** An `exceptions` row as the API shows it, with its SLA state at `now`. */
export function toExceptionRow(r: Record<string, unknown>, now: Date): ExceptionRow {
  const reviewDue = new Date(r.review_due_at as string);
  const remediateDue = new Date(r.remediate_due_at as string);
  const state = r.state as ExceptionState;
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    kind: r.kind as string,
    ruleId: (r.rule_id as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    crm: (r.crm as NewException["crm"]) ?? null,
    objectType: (r.object_type as string | null) ?? null,
    objectId: (r.object_id as string | null) ?? null,
    field: (r.field as string | null) ?? null,
    eventId: (r.event_id as string | null) ?? null,
    summary: r.summary as string,
    owner: (r.owner as string | null) ?? null,
    state,
    reviewDueAt: reviewDue.toISOString(),
    remediateDueAt: remediateDue.toISOString(),
    createdAt: new Date(r.created_at as string).toISOString(),
    ...slaStatus(state, reviewDue, remediateDue, now),
    notes: (r.notes as ExceptionNote[] | undefined) ?? [],
  };
}

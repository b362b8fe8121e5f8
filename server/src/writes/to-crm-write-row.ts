import type { CrmName } from "../../../shared/index.js";
import type { WritePurpose, WriteStatus } from "./planned-write.js";
import type { CrmWriteRow } from "./types.js";

/** A `crm_writes` row as the driver returns it. */
export interface CrmWriteRecord {
  id: string;
  seq: string | number | bigint;
  tenant_id: string;
  crm: string;
  object_type: string;
  object_id: string;
  properties: Record<string, string>;
  purpose: string;
  agent_id: string | null;
  caused_by: string;
  expected: Record<string, string | null> | null;
  sensitive_fields?: string[] | null;
  status: string;
  attempts: number;
  last_error: string | null;
  result_event_id: string | null;
  not_before: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  done_at: Date | string | null;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const toDateOrNull = (v: Date | string | null): Date | null => (v === null ? null : toDate(v));

export function toCrmWriteRow(r: CrmWriteRecord): CrmWriteRow {
  return {
    id: r.id,
    seq: String(r.seq),
    tenantId: r.tenant_id,
    crm: r.crm as CrmName,
    objectType: r.object_type,
    objectId: r.object_id,
    properties: r.properties,
    purpose: r.purpose as WritePurpose,
    agentId: r.agent_id,
    causedBy: r.caused_by,
    expected: r.expected,
    sensitiveFields: r.sensitive_fields ?? [],
    status: r.status as WriteStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    resultEventId: r.result_event_id,
    notBefore: toDateOrNull(r.not_before),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    doneAt: toDateOrNull(r.done_at),
  };
}

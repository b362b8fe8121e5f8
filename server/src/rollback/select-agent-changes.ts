import { canonicalOfHubspotShadow, isProvenanceField, type CrmName } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import type { RollbackRequest } from "./rollback-request.js";
import type { AgentChange } from "./types.js";

interface Row {
  event_id: string;
  kind: "direct" | "applied";
  agent_id: string | null;
  run_id: string | null;
  crm: CrmName;
  object_type: string;
  object_id: string;
  field: string;
  before_known: boolean;
  before: string | null;
  after: string | null;
  occurred_at: Date | string;
  ord: string | number;
}

// An apply also clears the shadow field and stamps provenance; only the canonical field is the agent's change.
const isBookkeeping = (field: string) =>
  isProvenanceField(field) || canonicalOfHubspotShadow(field) !== undefined || /^AI_Proposed_.+__c$/.test(field);

/** The agent-made changes a rollback request selects, newest first (docs/contracts.md#http-api selectors). */
export async function selectAgentChanges(sql: Sql, tenantId: string, request: RollbackRequest): Promise<AgentChange[]> {
  const { rows } = await sql.query<Row>(loadSql("select-agent-changes"), [
    tenantId,
    request.eventIds ?? null,
    request.runId ?? null,
    request.agentId ?? null,
    request.from ?? null,
    request.to ?? null,
    request.last ?? null,
  ]);
  return rows
    .filter((r) => !isBookkeeping(r.field))
    .map((r) => ({
      eventId: r.event_id,
      kind: r.kind,
      agentId: r.agent_id,
      runId: r.run_id,
      crm: r.crm,
      objectType: r.object_type,
      objectId: r.object_id,
      field: r.field,
      before: r.before_known ? (r.before ?? null) : undefined,
      after: r.after ?? null,
      occurredAt: new Date(r.occurred_at),
      order: Number(r.ord),
    }));
}

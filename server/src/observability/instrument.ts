import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { Metrics } from "./metrics.js";

interface AppendingLog {
  append(input: AuditEventInput, options?: object): Promise<AuditEvent>;
  appendMany(inputs: readonly AuditEventInput[], options?: object): Promise<AuditEvent[]>;
}

/**
 * Counts what one path records in the audit log: every event (`tollgate_audit_events_total{tenant}`)
 * and every decision by outcome (`tollgate_decisions_total{outcome, source}`). Every decision is
 * audited, so counting here counts them all; each path appends through its own view, labelled
 * `source` (`webhook`, `gate`, `other`), so every event is counted once.
 */
export function instrumentAudit<A extends AppendingLog>(audit: A, metrics: Metrics, source: string): A {
  const count = (events: readonly AuditEvent[]) => {
    for (const e of events) {
      metrics.auditAppends.inc({ tenant: e.tenant_id });
      if (e.decision) metrics.decisions.inc({ outcome: e.decision.outcome, source });
    }
  };
  return Object.assign(Object.create(audit) as A, {
    append: async (input: AuditEventInput, options?: object) => {
      const event = await audit.append(input, options);
      count([event]);
      return event;
    },
    appendMany: async (inputs: readonly AuditEventInput[], options?: object) => {
      const events = await audit.appendMany(inputs, options);
      count(events);
      return events;
    },
  });
}

/** Counts connector operations by outcome (`tollgate_crm_calls_total{crm, operation, status}`). */
export function instrumentConnector(connector: CrmConnector, metrics: Metrics): CrmConnector {
  const timed =
    <Args extends unknown[], R>(operation: string, fn: (...args: Args) => Promise<R>) =>
    async (...args: Args): Promise<R> => {
      try {
        const result = await fn(...args);
        metrics.crmCalls.inc({ crm: connector.crm, operation, status: "ok" });
        return result;
      } catch (err) {
        metrics.crmCalls.inc({ crm: connector.crm, operation, status: (err as { code?: string }).code ?? "error" });
        throw err;
      }
    };
  return {
    crm: connector.crm,
    tenantId: connector.tenantId,
    writeBatchSize: connector.writeBatchSize,
    readRecords: timed("read", connector.readRecords.bind(connector)),
    listRecords: timed("list", connector.listRecords.bind(connector)),
    searchRecords: timed("search", connector.searchRecords.bind(connector)),
    writeRecords: timed("write", connector.writeRecords.bind(connector)),
    listProperties: timed("list_properties", connector.listProperties.bind(connector)),
    ...(connector.listChangedSince
      ? { listChangedSince: timed("list_changed_since", connector.listChangedSince.bind(connector)) }
      : {}),
    ensurePropertyGroup: timed("ensure_group", connector.ensurePropertyGroup.bind(connector)),
    createProperties: timed("create_properties", connector.createProperties.bind(connector)),
    rateLimitState: () => connector.rateLimitState(),
    ...(connector.getUser ? { getUser: timed("get_user", connector.getUser.bind(connector)) } : {}),
    ...(connector.listUsers ? { listUsers: timed("list_users", connector.listUsers.bind(connector)) } : {}),
    ...(connector.createTask ? { createTask: timed("create_task", connector.createTask.bind(connector)) } : {}),
    ...(connector.completeTask ? { completeTask: timed("complete_task", connector.completeTask.bind(connector)) } : {}),
    ...(connector.createRecord ? { createRecord: timed("create_record", connector.createRecord.bind(connector)) } : {}),
    ...(connector.archiveRecord
      ? { archiveRecord: timed("archive_record", connector.archiveRecord.bind(connector)) }
      : {}),
    ...(connector.setUserFrozen
      ? { setUserFrozen: timed("set_user_frozen", connector.setUserFrozen.bind(connector)) }
      : {}),
  };
}

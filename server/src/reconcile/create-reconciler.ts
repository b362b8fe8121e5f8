import type { CrmName } from "../../../shared/index.js";
import type { CrmConnector, CrmRecord } from "../crm/index.js";
import type { Database } from "../db/index.js";
import type { CrmChange } from "../enforce/index.js";
import type { Logger } from "../observability/index.js";
import { loadSql } from "./load-sql.js";

/** One governed object type of a tenant and the fields the policy names on it. */
export interface GovernedObject {
  /** The CRM's API name (`contacts`, `Lead`). */
  objectType: string;
  /** The policy's name for it (`contact`), when it has one. */
  policyObject: CrmChange["policyObject"];
  properties: string[];
}

export interface ReconcilerOptions {
  db: Database;
  crm: CrmName;
  /** The tenants to sweep. */
  tenants(): Promise<string[]>;
  connectorFor(tenantId: string): Promise<CrmConnector>;
  governed(tenantId: string): GovernedObject[];
  /** Enforces changes exactly as a webhook batch is (same dedupe: a change seen either way is seen). */
  enforce(tenantId: string, changes: CrmChange[]): Promise<unknown>;
  /** Seconds between sweeps (`TOLLGATE_RECONCILE_INTERVAL_S`); 0 = never. */
  intervalS: number;
  /**
   * Each sweep looks this far behind where the last one stopped, for modifications the CRM
   * indexed late. @defaultValue 60_000
   */
  overlapMs?: number;
  now?: () => Date;
  logger?: Logger;
}

export interface Reconciler {
  /** One sweep of every tenant; returns the changes handed to enforcement. */
  sweep(): Promise<number>;
  start(): void;
  close(): Promise<void>;
}

/**
 * Nothing undelivered escapes (docs/operations.md): a CRM may never deliver a webhook (an outage
 * longer than its retries, a lost subscription). Every `intervalS`, for each tenant and governed
 * object type, the sweep asks the CRM which records changed since it last looked (one search
 * call on a quiet portal), reads the governed fields' history of those, and hands every change
 * to enforcement as if its webhook had arrived. Enforcement knows a change by its record,
 * property and instant as well as by its event key, so what a webhook already brought is skipped,
 * and a webhook arriving after the sweep is a duplicate.
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  const { db, crm } = options;
  const now = options.now ?? (() => new Date());
  const overlapMs = options.overlapMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sweepObject(tenantId: string, connector: CrmConnector, object: GovernedObject): Promise<number> {
    const startedAt = now();
    const row = (
      await db.query<{ swept_until: Date }>(loadSql("select-swept-until"), [tenantId, crm, object.objectType])
    ).rows[0];
    // First sweep of a type: look back one interval (what webhooks may have missed since start).
    const last = row ? new Date(row.swept_until) : new Date(startedAt.getTime() - options.intervalS * 1000);
    const since = new Date(last.getTime() - overlapMs);
    const ids = await connector.listChangedSince!(object.objectType, since);
    let handed = 0;
    if (ids.length > 0 && object.properties.length > 0) {
      const records = await connector.readRecords(object.objectType, ids, object.properties, { withHistory: true });
      const changes = records.flatMap((r) => historyChanges(tenantId, crm, object, r, since));
      if (changes.length > 0) await options.enforce(tenantId, changes);
      handed = changes.length;
    }
    await db.query(loadSql("upsert-swept-until"), [tenantId, crm, object.objectType, startedAt]);
    return handed;
  }

  async function sweepNow(): Promise<number> {
    let handed = 0;
    for (const tenantId of await options.tenants()) {
      try {
        const connector = await options.connectorFor(tenantId);
        if (!connector.listChangedSince) continue;
        for (const object of options.governed(tenantId)) handed += await sweepObject(tenantId, connector, object);
      } catch (err) {
        // One tenant's CRM outage must not stop the others; the next sweep looks from the same point.
        options.logger?.error({ err, tenantId }, "reconciliation sweep failed for a tenant");
      }
    }
    return handed;
  }

  const sweep = () => {
    running ??= sweepNow().finally(() => (running = undefined));
    return running;
  };

  return {
    sweep,
    start() {
      if (options.intervalS <= 0) return;
      timer = setInterval(() => {
        sweep().catch((err: unknown) => options.logger?.error({ err }, "reconciliation sweep failed"));
      }, options.intervalS * 1000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * The governed property changes of one record since `since`, as enforcement takes them — the
 * sweep's and a Salesforce gap read's alike, so either reading a change twice enforces it once.
 * A Salesforce record's creation value is not a change (its CDC event is a creation, not a write).
 */
export function historyChanges(
  tenantId: string,
  crm: CrmName,
  object: GovernedObject,
  record: CrmRecord,
  since: Date,
): CrmChange[] {
  const out: CrmChange[] = [];
  for (const [property, entries] of Object.entries(record.history ?? {})) {
    for (const h of entries) {
      const occurredAt = new Date(h.timestamp);
      if (!(occurredAt >= since) || h.sourceType === "CREATED") continue;
      out.push({
        tenantId,
        crm,
        objectType: object.objectType,
        policyObject: object.policyObject,
        objectId: record.objectId,
        kind: "property_change",
        property,
        value: h.value,
        occurredAt,
        eventKey: `reconcile|${crm}|${object.objectType}|${record.objectId}|${property}|${occurredAt.getTime()}`,
        source:
          crm === "hubspot"
            ? { changeSource: h.sourceType, sourceId: h.sourceId }
            : { userId: h.sourceId, changeSource: h.sourceType },
      });
    }
  }
  return out;
}

/** Several CRMs' reconcilers as one: a sweep sweeps them all; start and close reach each. */
export function combineReconcilers(...all: (Reconciler | undefined)[]): Reconciler {
  const each = all.filter((r): r is Reconciler => r !== undefined);
  return {
    sweep: async () => (await Promise.all(each.map((r) => r.sweep()))).reduce((a, b) => a + b, 0),
    start: () => each.forEach((r) => r.start()),
    close: async () => void (await Promise.all(each.map((r) => r.close()))),
  };
}

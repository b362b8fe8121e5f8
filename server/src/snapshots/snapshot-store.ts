import type { Sql } from "../db/index.js";
import { propertyKey, type LatestValue, type ObservedValue, type PropertyRef } from "./types.js";
import { openStoredValue, toStoredValues, type SnapshotSealing } from "./value-seal.js";

/**
 * Prior values of governed properties (docs/architecture.md#storage-and-services "record snapshots"). Every webhook
 * value,
 * history read and baseline lands here, so a revert finds "the value before the agent's write"
 * without one CRM read per record — the difference between 10 and 20+ CRM calls per thousand
 * reverts.
 */
export interface SnapshotStore {
  /** Records values; a value already recorded under the same event key is ignored. */
  record(values: readonly ObservedValue[], sql?: Sql): Promise<void>;
  /** Per property, the latest trusted value strictly before `before`; absent when none is known. */
  trustedValuesBefore(
    tenantId: string,
    refs: readonly (PropertyRef & { before: Date })[],
  ): Promise<Map<string, LatestValue>>;
  /** Per property, the latest value seen strictly before `before`, trusted or not (the "before" of a change). */
  valuesBefore(tenantId: string, refs: readonly (PropertyRef & { before: Date })[]): Promise<Map<string, LatestValue>>;
  /** Per property, the latest value seen, trusted or not. */
  latestValues(tenantId: string, refs: readonly PropertyRef[]): Promise<Map<string, LatestValue>>;
  /** Whether any value of the tenant was ever recorded (a baseline or a webhook). */
  hasAnyValue(tenantId: string): Promise<boolean>;
}

interface Row {
  object_type: string;
  object_id: string;
  property: string;
  value: string | null;
  occurred_at: Date | string;
  actor_type: LatestValue["actorType"];
  actor_id: string | null;
  trusted: boolean;
  sealed: boolean;
}

export interface SnapshotStoreOptions {
  /** Seals the values the CRM marks sensitive at rest (docs/operations.md#security). */
  sealing?: SnapshotSealing | undefined;
}

export function createSnapshotStore(db: Sql, options: SnapshotStoreOptions = {}): SnapshotStore {
  const { sealing } = options;
  /** The rows as values, sealed ones opened; a row that cannot be opened is left out (unknown). */
  function toLatestValues(tenantId: string, rows: readonly Row[]): Map<string, LatestValue> {
    const out = new Map<string, LatestValue>();
    for (const r of rows) {
      const ref = { objectType: r.object_type, objectId: r.object_id, property: r.property };
      const value = openStoredValue(tenantId, { ...ref, value: r.value, sealed: r.sealed }, sealing);
      if (value === undefined) continue;
      out.set(propertyKey(ref), {
        ...ref,
        value,
        occurredAt: new Date(r.occurred_at),
        actorType: r.actor_type,
        actorId: r.actor_id,
        trusted: r.trusted,
      });
    }
    return out;
  }

  async function valuesBefore(
    tenantId: string,
    refs: readonly (PropertyRef & { before: Date })[],
    trustedOnly: boolean,
  ): Promise<Map<string, LatestValue>> {
    if (refs.length === 0) return new Map();
    const { rows } = await db.query<Row>(
      `SELECT q.object_type, q.object_id, q.property, v.value, v.occurred_at, v.actor_type, v.actor_id, v.trusted, v.sealed
         FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS q(object_type, object_id, property, before)
         CROSS JOIN LATERAL (
           SELECT value, occurred_at, actor_type, actor_id, trusted, sealed FROM record_values r
            WHERE r.tenant_id = $1 AND r.object_type = q.object_type AND r.object_id = q.object_id
              AND r.property = q.property AND (r.trusted OR NOT $6::boolean) AND r.occurred_at < q.before
            ORDER BY r.occurred_at DESC, r.id DESC LIMIT 1) v`,
      [
        tenantId,
        refs.map((r) => r.objectType),
        refs.map((r) => r.objectId),
        refs.map((r) => r.property),
        refs.map((r) => r.before.toISOString()),
        trustedOnly,
      ],
    );
    return toLatestValues(tenantId, rows);
  }

  return {
    async record(values, sql = db) {
      if (values.length === 0) return;
      const stored = await toStoredValues(values, sealing);
      // One statement for the whole batch: unnest keeps it a single round trip.
      await sql.query(
        `INSERT INTO record_values (tenant_id, crm, object_type, object_id, property, value, occurred_at, actor_type, actor_id, trusted, event_key, sealed)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::boolean[])
         ON CONFLICT (tenant_id, event_key) DO NOTHING`,
        [
          values.map((v) => v.tenantId),
          values.map((v) => v.crm),
          values.map((v) => v.objectType),
          values.map((v) => v.objectId),
          values.map((v) => v.property),
          stored.map((v) => v.value),
          values.map((v) => v.occurredAt.toISOString()),
          values.map((v) => v.actorType),
          values.map((v) => v.actorId),
          values.map((v) => v.trusted),
          values.map((v) => v.eventKey),
          stored.map((v) => v.sealed),
        ],
      );
    },

    trustedValuesBefore: (tenantId, refs) => valuesBefore(tenantId, refs, true),
    valuesBefore: (tenantId, refs) => valuesBefore(tenantId, refs, false),

    async latestValues(tenantId, refs) {
      if (refs.length === 0) return new Map();
      const { rows } = await db.query<Row>(
        `SELECT q.object_type, q.object_id, q.property, v.value, v.occurred_at, v.actor_type, v.actor_id, v.trusted, v.sealed
           FROM unnest($2::text[], $3::text[], $4::text[]) AS q(object_type, object_id, property)
           CROSS JOIN LATERAL (
             SELECT value, occurred_at, actor_type, actor_id, trusted, sealed FROM record_values r
              WHERE r.tenant_id = $1 AND r.object_type = q.object_type AND r.object_id = q.object_id AND r.property = q.property
              ORDER BY r.occurred_at DESC, r.id DESC LIMIT 1) v`,
        [tenantId, refs.map((r) => r.objectType), refs.map((r) => r.objectId), refs.map((r) => r.property)],
      );
      return toLatestValues(tenantId, rows);
    },

    async hasAnyValue(tenantId) {
      const seen = await db.query("SELECT 1 FROM record_values WHERE tenant_id = $1 LIMIT 1", [tenantId]);
      return seen.rows.length > 0;
    },
  };
}

import type { Sql } from "../db/index.js";
import { propertyKey, type LatestValue, type ObservedValue, type PropertyRef } from "./types.js";

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
}

const toLatest = (r: Row): LatestValue => ({
  objectType: r.object_type,
  objectId: r.object_id,
  property: r.property,
  value: r.value,
  occurredAt: new Date(r.occurred_at),
  actorType: r.actor_type,
  actorId: r.actor_id,
  trusted: r.trusted,
});

export function createSnapshotStore(db: Sql): SnapshotStore {
  async function valuesBefore(
    tenantId: string,
    refs: readonly (PropertyRef & { before: Date })[],
    trustedOnly: boolean,
  ): Promise<Map<string, LatestValue>> {
    if (refs.length === 0) return new Map();
    const { rows } = await db.query<Row>(
      `SELECT q.object_type, q.object_id, q.property, v.value, v.occurred_at, v.actor_type, v.actor_id, v.trusted
         FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS q(object_type, object_id, property, before)
         CROSS JOIN LATERAL (
           SELECT value, occurred_at, actor_type, actor_id, trusted FROM record_values r
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
    return new Map(
      rows.map((r) => [
        propertyKey({ objectType: r.object_type, objectId: r.object_id, property: r.property }),
        toLatest(r),
      ]),
    );
  }

  return {
    async record(values, sql = db) {
      if (values.length === 0) return;
      // One statement for the whole batch: unnest keeps it a single round trip.
      await sql.query(
        `INSERT INTO record_values (tenant_id, crm, object_type, object_id, property, value, occurred_at, actor_type, actor_id, trusted, event_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::boolean[], $11::text[])
         ON CONFLICT (tenant_id, event_key) DO NOTHING`,
        [
          values.map((v) => v.tenantId),
          values.map((v) => v.crm),
          values.map((v) => v.objectType),
          values.map((v) => v.objectId),
          values.map((v) => v.property),
          values.map((v) => v.value),
          values.map((v) => v.occurredAt.toISOString()),
          values.map((v) => v.actorType),
          values.map((v) => v.actorId),
          values.map((v) => v.trusted),
          values.map((v) => v.eventKey),
        ],
      );
    },

    trustedValuesBefore: (tenantId, refs) => valuesBefore(tenantId, refs, true),
    valuesBefore: (tenantId, refs) => valuesBefore(tenantId, refs, false),

    async latestValues(tenantId, refs) {
      if (refs.length === 0) return new Map();
      const { rows } = await db.query<Row>(
        `SELECT q.object_type, q.object_id, q.property, v.value, v.occurred_at, v.actor_type, v.actor_id, v.trusted
           FROM unnest($2::text[], $3::text[], $4::text[]) AS q(object_type, object_id, property)
           CROSS JOIN LATERAL (
             SELECT value, occurred_at, actor_type, actor_id, trusted FROM record_values r
              WHERE r.tenant_id = $1 AND r.object_type = q.object_type AND r.object_id = q.object_id AND r.property = q.property
              ORDER BY r.occurred_at DESC, r.id DESC LIMIT 1) v`,
        [tenantId, refs.map((r) => r.objectType), refs.map((r) => r.objectId), refs.map((r) => r.property)],
      );
      return new Map(
        rows.map((r) => [
          propertyKey({ objectType: r.object_type, objectId: r.object_id, property: r.property }),
          toLatest(r),
        ]),
      );
    },

    async hasAnyValue(tenantId) {
      const seen = await db.query("SELECT 1 FROM record_values WHERE tenant_id = $1 LIMIT 1", [tenantId]);
      return seen.rows.length > 0;
    },
  };
}

import type { CrmConnector } from "../crm/index.js";
import type { SnapshotStore } from "./snapshot-store.js";

export interface BaselineResult {
  objectType: string;
  records: number;
  values: number;
  calls: number;
}

/**
 * Records the current value of the governed properties of every record of a type as a trusted
 * baseline. With a baseline, reverting a disallowed write needs no history read: a runaway's
 * thousand reverts cost ten batch updates instead of twenty-some calls. Without one, Tollgate
 * still reverts correctly, reading history for properties it has never seen.
 */
export async function takeBaseline(options: {
  connector: CrmConnector;
  snapshots: SnapshotStore;
  objectType: string;
  properties: readonly string[];
  now?: () => Date;
}): Promise<BaselineResult> {
  const { connector, snapshots, objectType, properties } = options;
  const now = options.now ?? (() => new Date());
  const takenAt = now();
  const result: BaselineResult = { objectType, records: 0, values: 0, calls: 0 };
  let after: string | undefined;
  do {
    const page = await connector.listRecords(objectType, properties, { after });
    // A page shows the values as of its answer, which may already hold a write made while the
    // baseline ran (an agent's, not yet enforced). Dated at the answer, such a value is never
    // the trusted value "before" that write (docs/operations.md#install-and-setup).
    const readAt = now();
    result.calls++;
    const values = page.records.flatMap((r) =>
      properties.map((property) => ({
        tenantId: connector.tenantId,
        crm: connector.crm,
        objectType,
        objectId: r.objectId,
        property,
        value: r.properties[property] ?? null,
        occurredAt: readAt,
        actorType: "baseline" as const,
        actorId: null,
        trusted: true,
        eventKey: `baseline:${takenAt.toISOString()}:${objectType}:${r.objectId}:${property}`,
      })),
    );
    await snapshots.record(values);
    result.records += page.records.length;
    result.values += values.length;
    after = page.after;
  } while (after);
  return result;
}

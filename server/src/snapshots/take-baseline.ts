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
  const takenAt = (options.now ?? (() => new Date()))();
  const result: BaselineResult = { objectType, records: 0, values: 0, calls: 0 };
  let after: string | undefined;
  do {
    const page = await connector.listRecords(objectType, properties, { after });
    result.calls++;
    const values = page.records.flatMap((r) =>
      properties.map((property) => ({
        tenantId: connector.tenantId,
        crm: connector.crm,
        objectType,
        objectId: r.objectId,
        property,
        value: r.properties[property] ?? null,
        // Read now, but the value was set before: any change from here on sorts after it.
        occurredAt: new Date(takenAt.getTime() - 1),
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

import type { CrmConnector } from "../crm/index.js";
import type { SnapshotStore } from "./snapshot-store.js";
import { takeBaseline, type BaselineResult } from "./take-baseline.js";

/** Baselines every governed field of a tenant; `onObject` hears each object type as it finishes. */
export type TenantBaseline = (tenantId: string, onObject?: (done: BaselineResult) => void) => Promise<BaselineResult[]>;

/**
 * Records every governed field's current value as trusted (one list call per 100 records), so
 * later reverts of those fields need no history read.
 */
export function createTenantBaseline(ports: {
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /** The tenant's governed object types and their fields. */
  governed: (tenantId: string) => readonly { objectType: string; properties: readonly string[] }[];
  snapshots: SnapshotStore;
  now: () => Date;
}): TenantBaseline {
  return async (tenantId, onObject) => {
    const connector = await ports.connectorFor(tenantId);
    const results: BaselineResult[] = [];
    for (const { objectType, properties } of ports.governed(tenantId)) {
      const result = await takeBaseline({
        connector,
        snapshots: ports.snapshots,
        objectType,
        properties,
        now: ports.now,
      });
      results.push(result);
      onObject?.(result);
    }
    return results;
  };
}

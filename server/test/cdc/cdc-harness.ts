import {
  createCdcIngestor,
  createReplayPositionStore,
  type CdcIngestor,
  type ReconcileRequest,
} from "../../src/cdc/index.js";
import { createSalesforceConnector, type SalesforceConnector } from "../../src/crm/salesforce/index.js";
import type { CrmChange } from "../../src/enforce/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface CdcHarness {
  tdb: TestDatabase;
  org: SalesforceSandbox;
  connector: SalesforceConnector;
  /** An agent's user in the org. */
  agentId: string;
  /** A CDC ingestor of `tenantId` on the sandbox, stopped by `close()`. */
  ingestor(
    tenantId: string,
    enforce: (changes: CrmChange[]) => Promise<void>,
    reconciles?: ReconcileRequest[],
  ): CdcIngestor;
  close(): Promise<void>;
}

/** Real PostgreSQL (replay positions) and the sandbox's CometD stream, for the CDC suites. */
export async function startCdcHarness(options: { longPollMs: number }): Promise<CdcHarness> {
  const tdb = await createTestDatabase();
  const org = await createSalesforceSandbox({ longPollMs: options.longPollMs });
  const agentId = org.users.create("Enrichment Bot").id;
  const connector = createSalesforceConnector({
    orgId: org.orgId,
    instanceUrl: org.url,
    accessToken: org.users.token(org.users.create("Tollgate").id),
  });
  const running: CdcIngestor[] = [];
  return {
    tdb,
    org,
    connector,
    agentId,
    ingestor(tenantId, enforce, reconciles = []) {
      const i = createCdcIngestor({
        tenantId,
        connector,
        positions: createReplayPositionStore(tdb.db),
        enforce: (_t, changes) => enforce(changes),
        reconcile: async (_t, r) => void reconciles.push(r),
        objectTypes: () => ["Lead"],
        logger: quiet,
        retryDelayMs: 50,
      });
      running.push(i);
      return i;
    },
    async close() {
      for (const i of running) await i.stop();
      await org.close();
      await tdb.drop();
    },
  };
}

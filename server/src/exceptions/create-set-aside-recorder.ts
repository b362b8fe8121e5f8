import type { Sql } from "../db/index.js";
import type { Logger, Metrics } from "../observability/index.js";
import type { ExceptionStore } from "./exception-store.js";

/** A webhook receipt that can never be processed. */
export interface SetAsideReceipt {
  tenantId: string;
  receiptId: string;
  issue: string;
}

/** Input that can never succeed is set aside visibly: an exception for a person, a metric, a log line. */
export function createSetAsideRecorder(ports: {
  exceptions: ExceptionStore;
  db: Sql;
  metrics: Metrics;
  logger: Logger;
}): (aside: SetAsideReceipt) => Promise<void> {
  return async (aside) => {
    ports.metrics.webhookEvents.inc({ result: "set_aside" });
    ports.logger.error(aside, "webhook receipt set aside: it can never be processed");
    await ports.exceptions.open(
      [
        {
          tenantId: aside.tenantId,
          kind: "webhook_set_aside",
          ruleId: null,
          agentId: null,
          crm: "hubspot",
          objectType: null,
          objectId: null,
          field: null,
          eventId: null,
          summary: `webhook receipt ${aside.receiptId} set aside: ${aside.issue}`,
        },
      ],
      { tx: ports.db },
    );
  };
}

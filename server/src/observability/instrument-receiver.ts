import type { Metrics } from "./metrics.js";

interface Receiver {
  receive(...input: never[]): Promise<{ accepted: number; duplicates: number }>;
  close(): Promise<void>;
}

/** Counts webhook events as they are received: `tollgate_webhook_events_total{result}` accepted and duplicate. */
export function instrumentReceiver<R extends Receiver>(receiver: R, metrics: Metrics): R {
  return Object.assign(Object.create(receiver) as R, {
    async receive(...input: Parameters<R["receive"]>) {
      const result = await receiver.receive(...(input as never[]));
      metrics.webhookEvents.inc({ result: "accepted" }, result.accepted);
      metrics.webhookEvents.inc({ result: "duplicate" }, result.duplicates);
      return result;
    },
    close: () => receiver.close(),
  });
}

import type { Metrics } from "./metrics.js";

type Counts = { accepted: number; duplicates: number };

interface Receiver {
  receive(input: never): Promise<Counts>;
  /** A delivered batch (webhooks' `receiveBatch`): counted alike. */
  receiveBatch?(input: never): Promise<Counts>;
  close(): Promise<void>;
}

/** Counts webhook events as they are received: `tollgate_webhook_events_total{result}` accepted and duplicate. */
export function instrumentReceiver<R extends Receiver>(receiver: R, metrics: Metrics): R {
  const counted = <T extends Counts>(result: T): T => {
    metrics.webhookEvents.inc({ result: "accepted" }, result.accepted);
    metrics.webhookEvents.inc({ result: "duplicate" }, result.duplicates);
    return result;
  };
  const batch = receiver.receiveBatch?.bind(receiver);
  return Object.assign(Object.create(receiver) as R, {
    receive: async (input: Parameters<R["receive"]>[0]) => counted(await receiver.receive(input as never)),
    ...(batch ? { receiveBatch: async (input: never) => counted(await batch(input)) } : {}),
    close: () => receiver.close(),
  });
}

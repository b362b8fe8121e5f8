import { startFaultStack, type FaultFigures, type FaultStack } from "./fault-stack.js";
import { startWebhookRelay, type WebhookRelay } from "./webhook-relay.js";

/**
 * Faults of the world around Tollgate: the CRM throttling and failing, webhooks lost, duplicated
 * and out of order, and two Tollgate processes sharing one Redis and PostgreSQL. Time is
 * compressed by configuration (see crash-scenarios.ts).
 */

/** How long the CRM answers 429, then 5xx, in `crmThrottledAndFailing`. */
export const CRM_FAULT_MS = Number(process.env.TOLLGATE_FAULT_CRM_MS ?? 4_000);
/** `TOLLGATE_RECONCILE_INTERVAL_S` of the never-delivered scenario. */
export const RECONCILE_INTERVAL_S = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function onStack<T>(
  options: Parameters<typeof startFaultStack>[0],
  scenario: (s: FaultStack, relay: WebhookRelay) => Promise<T>,
): Promise<T> {
  const stack = await startFaultStack(options);
  const relay = await startWebhookRelay(stack.env["HUBSPOT_CLIENT_SECRET"]!);
  try {
    return await scenario(stack, relay);
  } finally {
    await relay.close();
    await stack.close();
  }
}

/** The CRM answers 429 (Retry-After) and then 503 to every call for a stretch, while an agent writes. */
export function crmThrottledAndFailing(writes = 20, faultMs = CRM_FAULT_MS): Promise<FaultFigures> {
  return onStack({ webhookBatchSize: 5 }, async (stack) => {
    const ids = stack.seedContacts(writes);
    await stack.startTollgate();
    stack.started.sandbox.setFault({ status: 429 });
    stack.agentWrites(ids.slice(0, writes / 2));
    await sleep(faultMs);
    stack.started.sandbox.setFault({ status: 503 });
    stack.agentWrites(ids.slice(writes / 2));
    await sleep(faultMs);
    stack.started.sandbox.setFault(undefined);
    const faultEndedAt = Date.now();
    await stack.recovered(ids, 45_000);
    return stack.figures(
      `CRM 429 for ${faultMs / 1000} s, then 503 for ${faultMs / 1000} s`,
      ids,
      faultEndedAt,
      Date.now(),
    );
  });
}

/**
 * The agent's writes never produce a webhook (a lost subscription, retries exhausted): only the
 * reconciliation sweep can find them, within one `TOLLGATE_RECONCILE_INTERVAL_S`. "Seconds to
 * recover" counts from the writes.
 */
export function webhooksNeverDelivered(writes = 10): Promise<FaultFigures> {
  return onStack({ env: { TOLLGATE_RECONCILE_INTERVAL_S: String(RECONCILE_INTERVAL_S) } }, async (stack) => {
    const ids = stack.seedContacts(writes);
    await stack.startTollgate();
    stack.started.sandbox.setWebhookTargetUrl(undefined);
    const wroteAt = Date.now();
    stack.agentWrites(ids);
    await stack.recovered(ids, 30_000);
    return stack.figures("webhooks never delivered (reconciliation)", ids, wroteAt, Date.now());
  });
}

/**
 * Every batch delivered twice at once and all of them in reverse order (newest first); half the
 * records were written twice by the agent, so a later write arrives before an earlier one.
 */
export function duplicatedAndReordered(writes = 16): Promise<FaultFigures> {
  return onStack({ webhookBatchSize: 2 }, async (stack, relay) => {
    const ids = stack.seedContacts(writes);
    const tollgate = await stack.startTollgate({ target: false });
    stack.started.sandbox.setWebhookTargetUrl(relay.url);
    stack.agentWrites(ids);
    stack.agentWrites(ids.slice(0, writes / 2), "opportunity");
    await stack.started.sandbox.webhooksIdle();
    const target = `${tollgate.url}/webhooks/hubspot`;
    const faultEndedAt = Date.now();
    for (const body of [...relay.batches].reverse()) {
      const statuses = await Promise.all([relay.deliver(target, body), relay.deliver(target, body)]);
      if (statuses.some((s) => s !== 200)) throw new Error(`a delivery was refused: ${statuses.join(", ")}`);
    }
    await stack.recovered(ids, 30_000);
    return stack.figures("every batch twice, newest first", ids, faultEndedAt, Date.now());
  });
}

/**
 * Two Tollgate processes on one Redis and one PostgreSQL, each delivered every batch (at once):
 * they must act as one — each write decided and reverted once, in one audit chain.
 */
export function twoProcesses(writes = 20): Promise<FaultFigures> {
  return onStack({ webhookBatchSize: 4 }, async (stack, relay) => {
    const ids = stack.seedContacts(writes);
    const a = await stack.startTollgate({ target: false });
    const b = await stack.startTollgate({ target: false });
    stack.started.sandbox.setWebhookTargetUrl(relay.url);
    const startedAt = Date.now();
    stack.agentWrites(ids);
    await stack.started.sandbox.webhooksIdle();
    await Promise.all(
      relay.batches.flatMap((body) => [
        relay.deliver(`${a.url}/webhooks/hubspot`, body),
        relay.deliver(`${b.url}/webhooks/hubspot`, body),
      ]),
    );
    await stack.recovered(ids, 30_000);
    return stack.figures("two processes, each given every batch", ids, startedAt, Date.now());
  });
}

import { startFaultStack, type FaultFigures } from "./fault-stack.js";

/**
 * The fault scenarios, each run as the fault itself on real processes and stores. The fault
 * tests assert their figures; `npm run bench faults` prints them. One implementation for both.
 */

/**
 * Tollgate killed -9 with batches acknowledged but unfinished (the CRM failing its history reads,
 * so every job is mid-retry), then Redis loses every key (FLUSHALL: a failover to a replica that
 * had not caught up). A new process must find every batch through its receipt.
 */
export async function killAndFlushRedisAfterAck(writes = 20): Promise<FaultFigures> {
  const stack = await startFaultStack();
  try {
    const ids = stack.seedContacts(writes);
    const first = await stack.startTollgate();
    // Every CRM call fails: the jobs are acknowledged (receipts written) and cannot finish.
    stack.started.sandbox.setFault({ status: 503 });
    stack.agentWrites(ids);
    await stack.started.sandbox.webhooksIdle();
    const pending = await stack.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_receipts WHERE status = 'pending'",
    );
    if (pending.rows[0]!.n === 0) throw new Error("the scenario needs unfinished batches at the kill");
    await first.crash();
    await stack.redis.flushAll();
    stack.started.sandbox.setFault(undefined);
    const faultEndedAt = Date.now();
    await stack.startTollgate();
    await stack.recovered(ids, 45_000);
    return await stack.figures("kill -9 mid-batch, then Redis FLUSHALL after the 200", ids, faultEndedAt, Date.now());
  } finally {
    await stack.close();
  }
}

/** Every scenario, in the order `npm run bench faults` prints them. */
export const FAULT_SCENARIOS: (() => Promise<FaultFigures>)[] = [() => killAndFlushRedisAfterAck()];

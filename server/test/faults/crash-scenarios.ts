import { startOwnPostgres, until } from "./fault-harness.js";
import { startFaultStack, type FaultFigures, type FaultStack } from "./fault-stack.js";

/**
 * Faults of the processes and stores themselves: Tollgate killed -9, Redis lost or down,
 * PostgreSQL crashed and away. Each runs as the fault itself on real processes; the fault tests
 * assert the figures and `npm run bench faults` prints them.
 *
 * Time is compressed by configuration, never by mocks: retries back off from 100 ms to 500 ms
 * (`TOLLGATE_RETRY_*`), sweeps run every 300 ms, a running job's lock is 2 s
 * (`TOLLGATE_JOB_LOCK_MS`), and an outage lasts `TOLLGATE_FAULT_OUTAGE_MS` (6 s by default: the
 * "minute" of the issue, and longer than the ten retries webhooks used to get at that backoff).
 */
export const OUTAGE_MS = Number(process.env.TOLLGATE_FAULT_OUTAGE_MS ?? 6_000);

/** HubSpot retries a refused webhook for hours; here every second, for longer than any outage. */
const RETRY_THROUGH_OUTAGES = { webhookRetryDelayMs: () => 1_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function countReceipts(stack: FaultStack, status: string): Promise<number> {
  const { rows } = await stack.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM webhook_receipts WHERE status = $1",
    [status],
  );
  return rows[0]!.n;
}

/** Runs `scenario` on a fresh stack and always closes it. */
async function onStack<T>(options: Parameters<typeof startFaultStack>[0], scenario: (s: FaultStack) => Promise<T>) {
  const stack = await startFaultStack(options);
  try {
    return await scenario(stack);
  } finally {
    await stack.close();
  }
}

/**
 * Tollgate killed -9 while it works through a burst: some batches enforced, some running, some
 * waiting. A new process finishes them all, each once.
 */
export function killMidBatch(writes = 40): Promise<FaultFigures> {
  return onStack({ webhookBatchSize: 4, env: { TOLLGATE_JOB_LOCK_MS: "2000" } }, async (stack) => {
    const ids = stack.seedContacts(writes);
    const first = await stack.startTollgate();
    stack.agentWrites(ids);
    // Kill as soon as the first batch is enforced: the rest is mid-flight or waiting.
    await until(async () => ((await countReceipts(stack, "done")) > 0 ? true : undefined), 20_000, "a first batch");
    await first.crash();
    if ((await countReceipts(stack, "done")) >= Math.ceil(writes / 4))
      throw new Error("every batch finished before the kill: the scenario needs unfinished ones");
    const faultEndedAt = Date.now();
    await stack.startTollgate();
    await stack.recovered(ids, 45_000);
    return stack.figures("kill -9 mid-batch", ids, faultEndedAt, Date.now());
  });
}

/**
 * Tollgate killed -9 with batches acknowledged but unfinished (the CRM failing its history reads,
 * so every job is mid-retry), then Redis loses every key (FLUSHALL: a failover to a replica that
 * had not caught up). A new process must find every batch through its receipt.
 */
export function killAndFlushRedisAfterAck(writes = 20): Promise<FaultFigures> {
  return onStack({}, async (stack) => {
    const ids = stack.seedContacts(writes);
    const first = await stack.startTollgate();
    // Every CRM call fails: the jobs are acknowledged (receipts written) and cannot finish.
    stack.started.sandbox.setFault({ status: 503 });
    stack.agentWrites(ids);
    await stack.started.sandbox.webhooksIdle();
    if ((await countReceipts(stack, "pending")) === 0)
      throw new Error("the scenario needs unfinished batches at the kill");
    await first.crash();
    await stack.redis.flushAll();
    stack.started.sandbox.setFault(undefined);
    const faultEndedAt = Date.now();
    await stack.startTollgate();
    await stack.recovered(ids, 45_000);
    return stack.figures("kill -9 mid-batch, then Redis FLUSHALL after the 200", ids, faultEndedAt, Date.now());
  });
}

/**
 * Redis goes down in the middle of a burst and stays down for the outage; it comes back empty
 * (no persistence on the suite's redis-server), so it was both away and lost. Webhooks meanwhile
 * are acknowledged from their receipts in PostgreSQL; their jobs wait in the process until Redis
 * is back, and what the empty Redis lost the receipt sweep queues again.
 */
export function redisDownDuringBurst(writes = 30, outageMs = OUTAGE_MS): Promise<FaultFigures> {
  return onStack({ ...RETRY_THROUGH_OUTAGES, webhookBatchSize: 5 }, async (stack) => {
    const ids = stack.seedContacts(writes);
    await stack.startTollgate();
    const half = Math.floor(writes / 2);
    stack.agentWrites(ids.slice(0, half));
    await sleep(50);
    await stack.redis.crash();
    stack.agentWrites(ids.slice(half));
    await sleep(outageMs);
    await stack.redis.start();
    const faultEndedAt = Date.now();
    await stack.recovered(ids, 45_000);
    return stack.figures(
      `Redis down ${outageMs / 1000} s during a burst (restarted empty)`,
      ids,
      faultEndedAt,
      Date.now(),
    );
  });
}

/**
 * PostgreSQL crashes (immediate shutdown: every open transaction is gone) while batches are being
 * enforced, and stays away longer than webhook jobs used to retry (ten tries at this backoff: about
 * 4 s). Writes made during the outage are refused at intake (503) and redelivered.
 */
export async function postgresRestartedMidTransaction(
  writes = 30,
  outageMs = OUTAGE_MS + 2_000,
): Promise<FaultFigures> {
  const pg = await startOwnPostgres();
  try {
    return await onStack({ databaseUrl: pg.url, ...RETRY_THROUGH_OUTAGES, webhookBatchSize: 3 }, async (stack) => {
      const ids = stack.seedContacts(writes);
      await stack.startTollgate();
      const first = ids.slice(0, writes - 10);
      stack.agentWrites(first);
      // Crash once enforcement is under way: batches are committing while PostgreSQL goes.
      await until(async () => ((await countReceipts(stack, "done")) > 0 ? true : undefined), 20_000, "enforcing");
      await pg.crash();
      stack.agentWrites(ids.slice(writes - 10));
      await sleep(outageMs);
      await pg.start();
      const faultEndedAt = Date.now();
      await stack.recovered(ids, 45_000);
      return stack.figures(
        `PostgreSQL crashed mid-transaction, away ${outageMs / 1000} s`,
        ids,
        faultEndedAt,
        Date.now(),
      );
    });
  } finally {
    await pg.stop();
  }
}

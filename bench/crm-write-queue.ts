/**
 * The CRM write queue's own cost and its rate limiting, with a CRM that answers at once (so the
 * figures are the queue's: claim, audit, mark, BullMQ), over real PostgreSQL and Redis:
 *  - throughput: rows/s and flushes/s for one tenant and for several at once;
 *  - limiter: the most CRM calls seen in any window, against the limit configured.
 *
 *     npx tsx bench/crm-write-queue.ts          # DATABASE_URL/REDIS_URL, else the test stores
 *     WRITES_BENCH_ROWS=20000 npx tsx bench/crm-write-queue.ts
 *
 * Works in a schema and a BullMQ prefix of its own and removes both afterwards.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { createAuditLog } from "../server/src/audit/index.js";
import type { CrmConnector, RecordWrite, WriteResult } from "../server/src/crm/index.js";
import { createDatabase, migrate } from "../server/src/db/index.js";
import { createCrmWriteQueue, type CrmWriteQueueOptions, type PlannedWrite } from "../server/src/writes/index.js";
import { deleteKeysUnder } from "../server/src/redis/index.js";

export interface CrmWriteQueueFigures {
  oneTenant: { rows: number; seconds: number; rowsPerSec: number; flushesPerSec: number };
  fourTenants: { rows: number; seconds: number; rowsPerSec: number };
  limiter: { limit: string; calls: number; maxCallsInAnyWindow: number };
}

export async function run(
  options: { url?: string; redisUrl?: string; rows?: number } = {},
): Promise<CrmWriteQueueFigures> {
  const url =
    options.url ??
    process.env.DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const rows = options.rows ?? Number(process.env.WRITES_BENCH_ROWS ?? 10_000);
  const tag = randomBytes(4).toString("hex");
  const schema = `bench_writes_${tag}`;
  const prefix = `tgbench:writes:${tag}`;
  const db = await createDatabase({ url, schema, poolSize: 8 });
  try {
    await migrate(db);
    const audit = await createAuditLog(db);
    const redis = redisOptions(redisUrl);
    const crms = new Map<string, FastCrm>();
    const base = {
      db,
      redis,
      prefix,
      audit,
      connectorFor: async (t: string) => crmFor(crms, t),
    } satisfies Partial<CrmWriteQueueOptions>;

    // Unthrottled: the queue's own cost.
    const fast = await createCrmWriteQueue({ ...base, limiter: { max: 100_000, durationMs: 1_000 } });
    await fast.start();
    const one = await timed(() => enqueueAndDrain(fast, audit, ["bench-a"], rows));
    const four = await timed(() => enqueueAndDrain(fast, audit, ["bench-b", "bench-c", "bench-d", "bench-e"], rows));
    await fast.close();

    // Throttled: 10 calls a second, 40 calls' worth of rows.
    const limit = { max: 10, durationMs: 1_000 };
    const slow = await createCrmWriteQueue({ ...base, limiter: limit });
    await slow.start();
    await enqueueAndDrain(slow, audit, ["bench-limit"], 4_000);
    await slow.close();
    const calls = crms.get("bench-limit")!.callTimes;

    const flushes = crms.get("bench-a")!.callTimes.length;
    return {
      oneTenant: {
        rows,
        seconds: round(one / 1000),
        rowsPerSec: Math.round(rows / (one / 1000)),
        flushesPerSec: round(flushes / (one / 1000)),
      },
      fourTenants: { rows, seconds: round(four / 1000), rowsPerSec: Math.round(rows / (four / 1000)) },
      limiter: {
        limit: `${limit.max} per ${limit.durationMs} ms`,
        calls: calls.length,
        maxCallsInAnyWindow: maxInWindow(calls, limit.durationMs),
      },
    };
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    await deleteKeys(redisUrl, prefix);
  }
}

async function enqueueAndDrain(
  queue: Awaited<ReturnType<typeof createCrmWriteQueue>>,
  audit: Awaited<ReturnType<typeof createAuditLog>>,
  tenants: string[],
  rows: number,
) {
  const per = Math.ceil(rows / tenants.length);
  await Promise.all(
    tenants.map(async (tenantId) => {
      const [intent] = await audit.appendMany([
        { tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "bench_intent" },
      ]);
      const writes: PlannedWrite[] = Array.from({ length: per }, (_, i) => ({
        tenantId,
        crm: "hubspot",
        objectType: "contacts",
        objectId: String(i + 1),
        properties: { industry: `I-${i}` },
        purpose: "revert",
        causedBy: intent!.event_id,
      }));
      for (let i = 0; i < writes.length; i += 1_000) await queue.enqueue(writes.slice(i, i + 1_000));
    }),
  );
  await Promise.all(tenants.map((t) => queue.drain(t, { timeoutMs: 600_000 })));
}

/** A CRM that answers at once and remembers when it was called. */
class FastCrm implements CrmConnector {
  readonly crm = "hubspot" as const;
  readonly callTimes: number[] = [];
  constructor(readonly tenantId: string) {}
  async writeRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]> {
    this.callTimes.push(Date.now());
    return writes.map((w) => ({ objectType: w.objectType, objectId: w.objectId, ok: true }));
  }
  async readRecords() {
    return [];
  }
  async listRecords() {
    return { records: [], after: undefined };
  }
  async searchRecords() {
    return { records: [], after: undefined };
  }
  async listProperties() {
    return [];
  }
  async ensurePropertyGroup() {
    return false;
  }
  async createProperties() {}
  rateLimitState() {
    return undefined;
  }
}

function crmFor(crms: Map<string, FastCrm>, tenantId: string): FastCrm {
  let crm = crms.get(tenantId);
  if (!crm) crms.set(tenantId, (crm = new FastCrm(tenantId)));
  return crm;
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const round = (n: number) => Math.round(n * 100) / 100;

function redisOptions(redisUrl: string) {
  const u = new URL(redisUrl);
  return { host: u.hostname, port: Number(u.port || 6379) };
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

// Checked against the runtime's file URL so the module can be imported by bench/index.ts too.
/** Prints the figures (`npm run bench crm-write-queue` and a direct run both use it). */
export function report(figures: CrmWriteQueueFigures): void {
  console.log(JSON.stringify(figures, null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().then(report, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

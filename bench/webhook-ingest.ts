/**
 * Webhook ingest throughput: signed HubSpot batches of 100 events POSTed over loopback with
 * keep-alive by as many concurrent clients as the HubSpot app lets HubSpot send
 * (`maxConcurrentRequests` in its webhooks file), through the full path (signature check,
 * schema, a receipt in PostgreSQL before the 200, the BullMQ job right after it — a round ends
 * only once every job is in Redis) versus a bare express handler that only parses JSON and
 * answers 200. Goal: the full path keeps at least half the bare throughput.
 * The same path without the receipt is measured alongside (the figure before receipts), and so
 * is the floor of any intake that stores something durably before answering: the bare handler
 * plus one PostgreSQL insert and one Redis command per request, side by side.
 *
 *   npx tsx bench/webhook-ingest.ts    (BENCH_CLIENTS=n for another concurrency; REDIS_URL, default redis://127.0.0.1:6379;
 *                                       DATABASE_URL, else TEST_DATABASE_URL, else the local test database)
 */
import { randomUUID } from "node:crypto";
import { Agent, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import express, { type Express } from "express";
import { Redis } from "ioredis";
import {
  countWebhookJobs,
  createHubSpotWebhookRouter,
  createReceiptStore,
  createWebhookReceiver,
} from "../server/src/webhooks/index.js";
import { createDatabase, migrate } from "../server/src/db/index.js";
import {
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
  hubspotSignedHeaders,
  readHubSpotFixture,
} from "../test/fixtures/index.js";
import { deleteKeysUnder } from "../server/src/redis/index.js";

export interface WebhookIngestFigures {
  batches: number;
  eventsPerBatch: number;
  clients: number;
  fullEventsPerSecond: number;
  /** The same path without the PostgreSQL receipt (what ingest did before receipts). */
  noReceiptEventsPerSecond: number;
  bareEventsPerSecond: number;
  /** The bare handler plus one committed PostgreSQL insert and one Redis SET, concurrently, per request. */
  floorEventsPerSecond: number;
  ratio: number;
  floorRatio: number;
  noReceiptRatio: number;
  fullCpuMsPerBatch: number;
  bareCpuMsPerBatch: number;
  /** Lowest and highest round-by-round ratio (bare round n vs full round n): how noisy the run was. */
  ratioRange: [number, number];
  /** bare CPU / full CPU per batch: the same ratio in CPU time, less at the mercy of other processes. */
  cpuRatio: number;
  /** Median of the round-by-round ratios: each full round against the bare round just before it. */
  pairedRatio: number;
  /** CPU of the whole machine per batch (Node, PostgreSQL, Redis, kernel); undefined off Linux. */
  fullMachineCpuMsPerBatch: number | undefined;
  bareMachineCpuMsPerBatch: number | undefined;
  loadAverage: number;
}

/** Per round: long enough (~0.5 s bare, ~1 s full) that one scheduling hiccup moves it little. */
const BATCHES = 1000;
/**
 * Batches sent down each path before measuring. 20 left the full path half-compiled (its
 * per-batch functions had run 20 times): it measured 1.9-2.0 ms of CPU per batch, against
 * 1.4-1.6 ms once V8 had optimised it; the bare path barely changed.
 */
const WARMUP = 300;
/** Rounds alternate bare and full so a noisy neighbour hits both alike; the median is kept. */
const ROUNDS = 9;
const EVENTS_PER_BATCH = 100;
/** What HubSpot may have in flight at once: the app's own `maxConcurrentRequests` (10, HubSpot's default). */
function appConcurrency(): number {
  const file = new URL("../crm-app/hubspot/src/app/webhooks/webhooks-hsmeta.json", import.meta.url);
  const meta = JSON.parse(readFileSync(file, "utf8")) as { config: { settings: { maxConcurrentRequests: number } } };
  return meta.config.settings.maxConcurrentRequests;
}

/** Busy CPU of the whole machine (every process: Node, PostgreSQL, Redis, the kernel), in ms; Linux only. */
function machineBusyMs(): number | undefined {
  try {
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) * 10;
  } catch {
    return undefined;
  }
}

/** `count` distinct signed batches, built from the agent-write fixture's first event. */
function makeBatches(count: number, firstEventId: number): { body: Buffer; headers: Record<string, string> }[] {
  const template = readHubSpotFixture("contact.propertyChange.agent-write.json").events[0]!;
  return Array.from({ length: count }, (_, b) => {
    const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
      ...template,
      eventId: firstEventId + b * EVENTS_PER_BATCH + i,
      objectId: 10_000 + i,
      occurredAt: template.occurredAt + b,
    }));
    const body = Buffer.from(JSON.stringify(events));
    return { body, headers: { ...hubspotSignedHeaders(body), "content-length": String(body.length) } };
  });
}

async function listen(app: Express): Promise<{ server: Server; port: number }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function post(agent: Agent, port: number, batch: { body: Buffer; headers: Record<string, string> }): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: "127.0.0.1", port, method: "POST", path: "/webhooks/hubspot", headers: batch.headers },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(batch.body);
  });
}

interface Run {
  eventsPerSecond: number;
  /** CPU of this process (server and client) per batch: less at the mercy of other processes than wall time. */
  cpuMsPerBatch: number;
  /** CPU of the whole machine per batch (PostgreSQL's and Redis's too), when /proc/stat can be read. */
  machineCpuMsPerBatch: number | undefined;
}

/** Sends every batch with `clients` requests in flight; the round ends when `settle` resolves. */
async function drive(
  port: number,
  batches: { body: Buffer; headers: Record<string, string> }[],
  clients: number,
  settle: () => Promise<void> = async () => undefined,
): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  const cpu = process.cpuUsage();
  const machine = machineBusyMs();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches.length) await post(agent, port, batches[next++]!);
    }),
  );
  await settle();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const machineAfter = machineBusyMs();
  agent.destroy();
  return {
    eventsPerSecond: (batches.length * EVENTS_PER_BATCH) / seconds,
    cpuMsPerBatch: (used.user + used.system) / 1000 / batches.length,
    machineCpuMsPerBatch:
      machine === undefined || machineAfter === undefined ? undefined : (machineAfter - machine) / batches.length,
  };
}

async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  await deleteKeysUnder(redis, prefix);
}

export async function run(
  options: { redisUrl?: string; clients?: number; log?: (line: string) => void } = {},
): Promise<WebhookIngestFigures> {
  const log = options.log ?? console.log;
  const clients = options.clients ?? appConcurrency();
  const redis = new Redis(options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    maxRetriesPerRequest: null,
  });
  const prefix = `bench-webhooks-${randomUUID()}`;
  const schema = `bench_ingest_${randomUUID().slice(0, 8)}`;
  const db = await createDatabase({
    url: process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    schema,
    poolSize: 4,
  });
  await migrate(db);
  const receiver = createWebhookReceiver({ redis, prefix, receipts: createReceiptStore(db) });
  const noReceiptReceiver = createWebhookReceiver({ redis, prefix: `${prefix}-nr` });
  const router = (r: typeof receiver) =>
    createHubSpotWebhookRouter({
      clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
      publicUrl: HUBSPOT_TEST_PUBLIC_URL,
      receiver: r,
    });
  const full = express();
  full.use(router(receiver));
  const noReceipt = express();
  noReceipt.use(router(noReceiptReceiver));
  const bare = express();
  bare.post("/webhooks/hubspot", express.json({ limit: "1mb" }), (req, res) => {
    res.status(200).json({ accepted: Array.isArray(req.body) ? req.body.length : 0 });
  });
  const fullServer = await listen(full);
  const noReceiptServer = await listen(noReceipt);
  const bareServer = await listen(bare);
  await db.query("CREATE TABLE bench_floor (id text NOT NULL)");
  let floorRequests = 0;
  const floor = express();
  floor.post("/webhooks/hubspot", express.json({ limit: "1mb" }), async (req, res) => {
    const id = String(++floorRequests);
    await Promise.all([db.query("INSERT INTO bench_floor (id) VALUES ($1)", [id]), redis.set(`${prefix}-floor`, id)]);
    res.status(200).json({ accepted: Array.isArray(req.body) ? req.body.length : 0 });
  });
  const floorServer = await listen(floor);

  try {
    // Signing happens before the clock starts: the bench measures the server, not the client.
    // Every full-path round gets fresh event ids, so it measures enqueueing, not dropping duplicates.
    const warm = makeBatches(WARMUP, 1_000_000);
    const load = loadavg()[0]!;
    await drive(bareServer.port, warm, clients);
    const jobsQueued = () => receiver.flush();
    await drive(fullServer.port, warm, clients, jobsQueued);
    await drive(noReceiptServer.port, warm, clients);
    await drive(floorServer.port, warm, clients);
    const bare: Run[] = [];
    const floorRuns: Run[] = [];
    const fullRuns: Run[] = [];
    const noReceiptRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const batches = makeBatches(BATCHES, 2_000_000 + round * BATCHES * EVENTS_PER_BATCH);
      bare.push(await drive(bareServer.port, batches, clients));
      fullRuns.push(await drive(fullServer.port, batches, clients, jobsQueued));
      noReceiptRuns.push(await drive(noReceiptServer.port, batches, clients));
      floorRuns.push(await drive(floorServer.port, batches, clients));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bareEventsPerSecond = median(bare.map((r) => r.eventsPerSecond));
    const fullEventsPerSecond = median(fullRuns.map((r) => r.eventsPerSecond));
    const noReceiptEventsPerSecond = median(noReceiptRuns.map((r) => r.eventsPerSecond));
    const floorEventsPerSecond = median(floorRuns.map((r) => r.eventsPerSecond));
    const bareCpu = median(bare.map((r) => r.cpuMsPerBatch));
    const fullCpu = median(fullRuns.map((r) => r.cpuMsPerBatch));
    const roundRatios = fullRuns.map((r, i) => r.eventsPerSecond / bare[i]!.eventsPerSecond);
    const machineCpu = (runs: Run[]) => {
      const ms = runs.map((r) => r.machineCpuMsPerBatch);
      return ms.every((m): m is number => m !== undefined) ? Number(median(ms).toFixed(2)) : undefined;
    };
    // Every batch the full path answered 200 has its job in Redis: the figure counts finished work.
    const tenantId = String(readHubSpotFixture("contact.propertyChange.agent-write.json").events[0]!.portalId);
    const jobs = await countWebhookJobs(redis, prefix, tenantId);
    const sent = WARMUP + ROUNDS * BATCHES;
    if (jobs !== sent) throw new Error(`the full path answered ${sent} batches but queued ${jobs} jobs`);
    const figures: WebhookIngestFigures = {
      batches: BATCHES,
      eventsPerBatch: EVENTS_PER_BATCH,
      clients,
      fullEventsPerSecond: Math.round(fullEventsPerSecond),
      noReceiptEventsPerSecond: Math.round(noReceiptEventsPerSecond),
      bareEventsPerSecond: Math.round(bareEventsPerSecond),
      floorEventsPerSecond: Math.round(floorEventsPerSecond),
      ratio: Number((fullEventsPerSecond / bareEventsPerSecond).toFixed(2)),
      noReceiptRatio: Number((noReceiptEventsPerSecond / bareEventsPerSecond).toFixed(2)),
      floorRatio: Number((floorEventsPerSecond / bareEventsPerSecond).toFixed(2)),
      fullCpuMsPerBatch: Number(fullCpu.toFixed(2)),
      bareCpuMsPerBatch: Number(bareCpu.toFixed(2)),
      ratioRange: [Number(Math.min(...roundRatios).toFixed(2)), Number(Math.max(...roundRatios).toFixed(2))],
      cpuRatio: Number((bareCpu / fullCpu).toFixed(2)),
      pairedRatio: Number(median(roundRatios).toFixed(2)),
      fullMachineCpuMsPerBatch: machineCpu(fullRuns),
      bareMachineCpuMsPerBatch: machineCpu(bare),
      loadAverage: Number(load.toFixed(1)),
    };
    log(
      `webhook ingest: ${BATCHES} signed batches × ${EVENTS_PER_BATCH} events, ${clients} keep-alive clients over loopback, median of ${ROUNDS} alternating rounds after ${WARMUP} warm-up batches (load average ${figures.loadAverage} at start, ${loadavg()[0]!.toFixed(1)} at end, on ${cpus().length} CPUs)`,
    );
    log(
      `  full path (verify + validate + PostgreSQL receipt, 200, BullMQ job): ${figures.fullEventsPerSecond.toLocaleString("en-US")} events/s (every one of ${sent} batches queued)`,
    );
    log(
      `  before receipts (no receipt; the job added before the 200):  ${figures.noReceiptEventsPerSecond.toLocaleString("en-US")} events/s (${figures.noReceiptRatio}× bare)`,
    );
    log(
      `  bare express (JSON parse + 200):                              ${figures.bareEventsPerSecond.toLocaleString("en-US")} events/s`,
    );
    log(
      `  floor (bare + one PostgreSQL insert and one Redis SET):        ${figures.floorEventsPerSecond.toLocaleString("en-US")} events/s (${figures.floorRatio}× bare; the full path is ${(fullEventsPerSecond / floorEventsPerSecond).toFixed(2)}× this floor)`,
    );
    log(
      `  ratio: ${figures.ratio}× (goal ≥ 0.5×; round by round median ${figures.pairedRatio}×, ranged ${figures.ratioRange[0]}–${figures.ratioRange[1]}×)`,
    );
    log(
      `  this process's CPU per batch (server + client): full ${figures.fullCpuMsPerBatch} ms, bare ${figures.bareCpuMsPerBatch} ms, ratio ${figures.cpuRatio}×`,
    );
    if (figures.fullMachineCpuMsPerBatch !== undefined && figures.bareMachineCpuMsPerBatch !== undefined)
      log(
        `  the whole machine's CPU per batch (with PostgreSQL and Redis): full ${figures.fullMachineCpuMsPerBatch} ms, bare ${figures.bareMachineCpuMsPerBatch} ms, ratio ${(figures.bareMachineCpuMsPerBatch / figures.fullMachineCpuMsPerBatch).toFixed(2)}×`,
      );
    return figures;
  } finally {
    await new Promise<void>((resolve) => fullServer.server.close(() => resolve()));
    await new Promise<void>((resolve) => bareServer.server.close(() => resolve()));
    await new Promise<void>((resolve) => noReceiptServer.server.close(() => resolve()));
    await new Promise<void>((resolve) => floorServer.server.close(() => resolve()));
    await receiver.close();
    await noReceiptReceiver.close();
    await deleteUnder(redis, prefix);
    await deleteUnder(redis, `${prefix}-nr`);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
    await redis.quit();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const clients = process.env.BENCH_CLIENTS ? Number(process.env.BENCH_CLIENTS) : undefined;
  run({ ...(clients ? { clients } : {}) }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

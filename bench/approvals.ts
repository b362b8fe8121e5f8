/**
 * Approvals, over real PostgreSQL and Redis:
 *  (a) listing one record's approvals when it has 1,000 past ones (and the table holds 50,000
 *      more for other records): ms per list through the store, the service (which also expires
 *      lapsed ones) and HTTP;
 *  (b) time from an approve call to the CRM write leaving Tollgate: approve → audit + intent in
 *      one transaction → write queue flush → `writeRecords` on a recording connector.
 *
 *     npx tsx bench/approvals.ts      # DATABASE_URL/REDIS_URL, else the test stores
 *
 * Works in a schema and a BullMQ prefix of its own and removes both afterwards.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { createApprovalService, createApprovalStore } from "../server/src/approvals/index.js";
import { createAuditLog } from "../server/src/audit/index.js";
import type { CrmConnector, RecordWrite, WriteResult } from "../server/src/crm/index.js";
import { createDatabase, migrate } from "../server/src/db/index.js";
import { createConflictGuard } from "../server/src/enforce/index.js";
import { createApiKeyAuthenticator, createHttpApp, createApprovalRouter } from "../server/src/http/index.js";
import { createLogger, createMetrics } from "../server/src/observability/index.js";
import { createSnapshotStore } from "../server/src/snapshots/index.js";
import { createCrmWriteQueue } from "../server/src/writes/index.js";
import { deleteKeysUnder } from "../server/src/redis/index.js";

export interface ApprovalsFigures {
  list: {
    pastApprovals: number;
    otherApprovals: number;
    runs: number;
    storeMs: Stats;
    serviceMs: Stats;
    httpMs: Stats;
  };
  approveToWrite: { approvals: number; ms: Stats };
}
interface Stats {
  mean: number;
  p50: number;
  p95: number;
}

const TENANT = "62515";
const KEY = "bench-approver-key-0123456789";

export async function run(
  options: { url?: string; redisUrl?: string; runs?: number; approvals?: number } = {},
): Promise<ApprovalsFigures> {
  const url =
    options.url ??
    process.env.DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const runs = options.runs ?? 300;
  const approvals = options.approvals ?? 100;
  const tag = randomBytes(4).toString("hex");
  const schema = `bench_approvals_${tag}`;
  const prefix = `tgbench:approvals:${tag}`;
  const db = await createDatabase({ url, schema, poolSize: 8 });
  let server: Server | undefined;
  try {
    await migrate(db);
    const audit = await createAuditLog(db);
    const store = createApprovalStore(db);
    const snapshots = createSnapshotStore(db);
    const crm = new RecordingCrm(TENANT);
    const redis = new URL(redisUrl);
    const writes = await createCrmWriteQueue({
      db,
      redis: { host: redis.hostname, port: Number(redis.port || 6379) },
      prefix,
      audit,
      connectorFor: async () => crm,
      guard: createConflictGuard(snapshots),
      onSettled: (rows) => service.onWritesSettled(rows),
      // The queue's own pace, not HubSpot's budget: the default limiter (90 per 10 s) never binds at one approval at a
      // time.
      limiter: { max: 10_000, durationMs: 1_000 },
    });
    await writes.start();
    const service = createApprovalService({ db, audit, store, writes, snapshots, connectorFor: async () => crm });

    // (a) One record with 1,000 past approvals; 50,000 more spread over 5,000 other records.
    await insertPastApprovals(db, "contacts", "1", 1_000, 1);
    await insertPastApprovals(db, "contacts", null, 50_000, 5_000);
    await db.query("ANALYZE approvals");
    const app = createHttpApp({
      logger: createLogger({ level: "silent" }),
      metrics: createMetrics({ defaultMetrics: false }),
      healthChecks: {},
      rawRouters: [
        createApprovalRouter({
          service,
          authenticate: createApiKeyAuthenticator([{ key: KEY, role: "approver", name: "bench" }]),
          defaultTenant: TENANT,
        }),
      ],
      routers: [],
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const storeMs = await timeEach(runs, () => store.listForRecord(TENANT, "contacts", "1"));
    const serviceMs = await timeEach(runs, () => service.listForRecord(TENANT, "contacts", "1"));
    const httpMs = await timeEach(runs, async () => {
      const res = await fetch(`${base}/v1/records/hubspot/contacts/1/approvals`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      if (res.status !== 200) throw new Error(`list answered ${res.status}`);
      await res.arrayBuffer();
    });

    // (b) Approve → the CRM write leaves Tollgate.
    const latencies: number[] = [];
    for (let i = 0; i < approvals; i++) {
      const objectId = String(900_000 + i);
      const id = await seedPending(db, audit, store, objectId);
      const started = performance.now();
      const seen = crm.waitFor(objectId);
      await service.approve(
        TENANT,
        id,
        { id: "api_key:bench", name: "bench", via: "api_key" },
        { expected: { value: "new@example.com" } },
      );
      latencies.push((await seen) - started);
    }
    await writes.close();
    return {
      list: {
        pastApprovals: 1_000,
        otherApprovals: 50_000,
        runs,
        storeMs: stats(storeMs),
        serviceMs: stats(serviceMs),
        httpMs: stats(httpMs),
      },
      approveToWrite: { approvals, ms: stats(latencies) },
    };
  } finally {
    if (server) await new Promise((r) => server!.close(r));
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    await deleteKeys(redisUrl, prefix);
  }
}

async function insertPastApprovals(
  db: Awaited<ReturnType<typeof createDatabase>>,
  objectType: string,
  objectId: string | null,
  count: number,
  records: number,
): Promise<void> {
  // Decided approvals of past weeks: applied, rejected, expired; oldest first.
  await db.query(
    `INSERT INTO approvals (id, tenant_id, crm, object_type, object_id, field, shadow_field, current_value, proposed_value, confidence, source, reason,
                            evidence, risk_flags, approvals_needed, approved_by, status, agent_id, agent_role, rule_id, policy_version, proposal_event_id,
                            expires_at, created_at, updated_at)
     SELECT gen_random_uuid()::text, $1, 'hubspot', $2, COALESCE($3, (2 + g % $5)::text), 'field_' || (g % 40), 'ai_proposed_field_' || (g % 40),
            'old-' || g, 'new-' || g, 0.7, 'apollo', 'bench', '{"sources":["https://example.com"]}'::jsonb, '["low_confidence"]'::jsonb, 1,
            '[{"id":"api_key:rep","name":"rep","at":"2026-01-01T00:00:00.000Z"}]'::jsonb,
            (ARRAY['applied','rejected','expired'])[1 + g % 3], 'enrichment-bot', 'enrichment', 'rule', 'v', 'ev-' || g,
            now() - interval '1 day', now() - (g || ' minutes')::interval, now()
       FROM generate_series(1, $4) AS g`,
    [TENANT, objectType, objectId, count, records],
  );
}

async function seedPending(
  db: Awaited<ReturnType<typeof createDatabase>>,
  audit: Awaited<ReturnType<typeof createAuditLog>>,
  store: ReturnType<typeof createApprovalStore>,
  objectId: string,
): Promise<string> {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const [proposal] = await audit.appendMany(
      [
        {
          tenant_id: TENANT,
          actor: { type: "agent", id: "enrichment-bot", role: "enrichment", via: "bench" },
          action: "proposal",
          crm: "hubspot",
          object_type: "contacts",
          object_id: objectId,
          field_diffs: [{ field: "email", before: "old@example.com", after: "new@example.com" }],
        },
      ],
      { tx },
    );
    await store.create(
      {
        id,
        tenantId: TENANT,
        crm: "hubspot",
        objectType: "contacts",
        objectId,
        field: "email",
        shadowField: "ai_proposed_email",
        currentValue: "old@example.com",
        proposedValue: "new@example.com",
        confidence: 0.7,
        source: "apollo",
        reason: "bench",
        evidence: null,
        riskFlags: [],
        approvalsNeeded: 1,
        agentId: "enrichment-bot",
        agentRole: "enrichment",
        ruleId: "rule",
        policyVersion: "v",
        proposalEventId: proposal!.event_id,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
      { tx },
    );
  });
  return id;
}

/** A CRM that answers at once and notes when each record's write arrived. */
class RecordingCrm implements CrmConnector {
  readonly crm = "hubspot" as const;
  private readonly waiting = new Map<string, (at: number) => void>();
  constructor(readonly tenantId: string) {}
  waitFor(objectId: string): Promise<number> {
    return new Promise((resolve) => this.waiting.set(objectId, resolve));
  }
  async writeRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]> {
    const at = performance.now();
    for (const w of writes) this.waiting.get(w.objectId)?.(at);
    return writes.map((w) => ({ objectType: w.objectType, objectId: w.objectId, ok: true }));
  }
  async readRecords(objectType: string, ids: readonly string[], properties: readonly string[]) {
    // The value the proposal was shown against: approvals are not in conflict.
    return ids.map((objectId) => ({
      objectType,
      objectId,
      properties: Object.fromEntries(properties.map((p) => [p, "old@example.com"])),
    }));
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

async function timeEach(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn(); // warm up plans and connections
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const r = (n: number) => Math.round(n * 100) / 100;
  return { mean: r(s.reduce((a, b) => a + b, 0) / s.length), p50: r(at(0.5)), p95: r(at(0.95)) };
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** Prints the figures (`npm run bench approvals` and a direct run both use it). */
export function report(f: ApprovalsFigures): void {
  console.log(
    `list approvals of one record (${f.list.pastApprovals} past, ${f.list.otherApprovals} on other records), ${f.list.runs} runs, ms per list:`,
  );
  console.log(`  store   mean ${f.list.storeMs.mean}  p50 ${f.list.storeMs.p50}  p95 ${f.list.storeMs.p95}`);
  console.log(`  service mean ${f.list.serviceMs.mean}  p50 ${f.list.serviceMs.p50}  p95 ${f.list.serviceMs.p95}`);
  console.log(`  HTTP    mean ${f.list.httpMs.mean}  p50 ${f.list.httpMs.p50}  p95 ${f.list.httpMs.p95}`);
  console.log(
    `approve → CRM write issued, ${f.approveToWrite.approvals} approvals one at a time, ms: median ${f.approveToWrite.ms.p50}  p95 ${f.approveToWrite.ms.p95}  mean ${f.approveToWrite.ms.mean}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  report(await run());
  process.exit(0);
}

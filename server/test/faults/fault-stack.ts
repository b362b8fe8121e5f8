import { randomBytes } from "node:crypto";
import pg from "pg";
import { createAuditLog } from "../../src/audit/index.js";
import { createDatabase, type Database } from "../../src/db/index.js";
import { LOCAL_PORTAL_ID, LOCAL_TOLLGATE_APP_ID, POLICY_AGENTS } from "../../sandbox/demo/start-local-stack.js";
import { startSandbox, type StartedSandbox } from "../../sandbox/hubspot/index.js";
import { TEST_DATABASE_URL } from "../helpers/test-database.js";
import { freePort, spawnTollgate, startOwnRedis, until, type OwnRedis, type TollgateProcess } from "./fault-harness.js";

export const TENANT = String(LOCAL_PORTAL_ID);
const ENRICHMENT_APP = String(POLICY_AGENTS.find((a) => a.id === "enrichment-bot")!.appId);

/** What a fault scenario measured: the figures `npm run bench faults` prints and the tests assert. */
export interface FaultFigures {
  fault: string;
  /** Disallowed agent writes made while the fault was on. */
  disallowedWrites: number;
  /** Of those, how many never got a decision in the audit. */
  eventsLost: number;
  /** Records put back to their value before the agent's write. */
  reverted: number;
  /** Records Tollgate wrote back more than once. */
  revertedTwice: number;
  /** From the end of the fault to the last revert landing in the CRM. */
  secondsToRecover: number;
  auditChainOk: boolean;
  /** Records with one agent write decided more than once in the audit: an event enforced twice. */
  decidedTwice: number;
  /** Protective CRM writes that ended `failed` (given up) instead of landing. */
  protectiveWritesLost: number;
  /** Receipts still pending or set aside once recovered. */
  receiptsOpen: number;
}

export interface FaultStackOptions {
  /** The PostgreSQL to make a schema in (the suite's own cluster, to crash it). @defaultValue the shared one */
  databaseUrl?: string;
  /** Delay before the sandbox's webhook retry n: long enough to outlast an outage. @defaultValue 200 ms */
  webhookRetryDelayMs?: (retry: number) => number;
  /** Events per webhook POST. @defaultValue 100 */
  webhookBatchSize?: number;
  /** Extra environment for every Tollgate process. */
  env?: Record<string, string>;
}

/**
 * The sandbox, the suite's own Redis, a schema of the shared PostgreSQL (or the suite's own
 * cluster) and Tollgate as a process: the stack every fault scenario runs on.
 */
export interface FaultStack {
  started: StartedSandbox;
  redis: OwnRedis;
  db: Database;
  env: Record<string, string>;
  tollgate: TollgateProcess | undefined;
  /** Every process started, for close(). */
  tollgates: TollgateProcess[];
  /**
   * Starts a Tollgate process; webhooks go to it unless `target: false` (a relay in between).
   * Its public URL is its own address (the v3 signature covers it).
   */
  startTollgate(options?: { target?: boolean; env?: Record<string, string> }): Promise<TollgateProcess>;
  /** Seeds `n` contacts with lifecycle stage `lead` (IMPORT: no webhook, no snapshot). */
  seedContacts(n: number): string[];
  /** The enrichment agent sets each contact's lifecycle stage directly (read-only to it): a disallowed write. */
  agentWrites(ids: readonly string[], value?: string): void;
  /** Waits until every contact is back to `lead`, and no receipt or CRM write is left to do. */
  recovered(ids: readonly string[], timeoutMs: number): Promise<void>;
  figures(fault: string, ids: readonly string[], faultEndedAt: number, recoveredAt: number): Promise<FaultFigures>;
  close(): Promise<void>;
}

export async function startFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const redis = await startOwnRedis();
  const schema = `fault_${randomBytes(5).toString("hex")}`;
  const base = options.databaseUrl ?? TEST_DATABASE_URL;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const databaseUrl = `${base}${base.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`;
  const db = await createDatabase({ url: databaseUrl, poolSize: 4 });
  const clientSecret = randomBytes(16).toString("hex");
  const started = await startSandbox({
    clientSecret,
    appId: LOCAL_TOLLGATE_APP_ID,
    portalId: LOCAL_PORTAL_ID,
    agents: POLICY_AGENTS,
    demoData: false,
    webhookDelayMs: 5,
    webhookRetryDelayMs: options.webhookRetryDelayMs ?? (() => 200),
    ...(options.webhookBatchSize ? { webhookBatchSize: options.webhookBatchSize } : {}),
  });
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
    TOLLGATE_POLICY: "manifests/policy.yaml",
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    HUBSPOT_ACCESS_TOKEN: started.tollgateToken,
    HUBSPOT_PORTAL_ID: TENANT,
    HUBSPOT_APP_ID: String(LOCAL_TOLLGATE_APP_ID),
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: started.sandbox.url,
    // Compressed by configuration, not by mocks: seconds instead of minutes.
    TOLLGATE_RETRY_BASE_MS: "100",
    TOLLGATE_RETRY_MAX_MS: "500",
    TOLLGATE_SWEEP_INTERVAL_MS: "300",
    TOLLGATE_RECONCILE_INTERVAL_S: "0",
    ...options.env,
  };
  let next = 1;
  const stack: FaultStack = {
    started,
    redis,
    db,
    env,
    tollgate: undefined,
    tollgates: [],
    async startTollgate(o = {}) {
      // The webhook signature covers the public URL, so it names the port Tollgate listens on.
      const port = String(await freePort());
      const running = await spawnTollgate({
        ...env,
        ...o.env,
        PORT: port,
        TOLLGATE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      });
      if (o.target ?? true) started.sandbox.setWebhookTargetUrl(`${running.url}/webhooks/hubspot`);
      stack.tollgate = running;
      stack.tollgates.push(running);
      return running;
    },
    seedContacts(n) {
      const ids = Array.from({ length: n }, () => String(90_000 + next++));
      started.sandbox.seed(
        "contacts",
        ids.map((id) => ({ id, properties: { email: `c${id}@acme.example`, lifecyclestage: "lead" } })),
      );
      return ids;
    },
    agentWrites(ids, value = "customer") {
      for (const id of ids)
        started.sandbox.write("contacts", id, { lifecyclestage: value }, { kind: "app", appId: ENRICHMENT_APP });
    },
    async recovered(ids, timeoutMs) {
      let state = "";
      await until(
        async () => {
          const left = ids.filter(
            (id) => started.sandbox.getRecord("contacts", id)?.properties.lifecyclestage !== "lead",
          ).length;
          const open = await db.query<{ receipts: number; writes: number }>(
            "SELECT (SELECT count(*)::int FROM webhook_receipts WHERE status = 'pending') AS receipts, (SELECT count(*)::int FROM crm_writes WHERE status IN ('pending', 'in_flight')) AS writes",
          );
          const { receipts, writes } = open.rows[0]!;
          state = `${left} not reverted, ${receipts} receipts pending, ${writes} CRM writes open`;
          return left + receipts + writes === 0 ? true : undefined;
        },
        timeoutMs,
        "every disallowed write reverted and nothing left to do",
      ).catch((err: Error) => {
        throw new Error(`${err.message}: ${state}\n${stack.tollgate?.output().slice(-3000) ?? ""}`);
      });
    },
    async figures(fault, ids, faultEndedAt, recoveredAt) {
      const { rows } = await db.query<{ object_id: string; n: number }>(
        "SELECT event->>'object_id' AS object_id, count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND event->>'action' = 'field_write' AND event->'actor'->>'type' = 'agent' AND event->>'object_id' = ANY($2::text[]) GROUP BY 1, event->'field_diffs'->0->>'after'",
        [TENANT, ids],
      );
      // One decision per agent write (deny, or killed once a trigger trips): a record written twice has two, each of a
      // different value.
      const decisions = new Map<string, number>();
      for (const r of rows) decisions.set(r.object_id, Math.max(r.n, decisions.get(r.object_id) ?? 0));
      const ownWrites = (id: string) =>
        started.sandbox
          .history("contacts", id, "lifecyclestage")
          .filter((h) => h.sourceId === String(LOCAL_TOLLGATE_APP_ID)).length;
      const audit = await createAuditLog(db);
      // Tollgate's own reverts come back as webhooks after recovery: let those late batches close
      // (or time out and be counted) before reading what is open.
      await until(
        async () => {
          const { rows: p } = await db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM webhook_receipts WHERE status = 'pending'",
          );
          return p[0]!.n === 0 ? true : undefined;
        },
        15_000,
        "late receipts closed",
      ).catch(() => undefined);
      const open = await db.query<{ receipts: number; failed: number }>(
        "SELECT (SELECT count(*)::int FROM webhook_receipts WHERE status <> 'done') AS receipts, (SELECT count(*)::int FROM crm_writes WHERE status = 'failed') AS failed",
      );
      return {
        fault,
        disallowedWrites: ids.length,
        eventsLost: ids.filter((id) => !decisions.has(id)).length,
        reverted: ids.filter((id) => started.sandbox.getRecord("contacts", id)?.properties.lifecyclestage === "lead")
          .length,
        revertedTwice: ids.filter((id) => ownWrites(id) > 1).length,
        secondsToRecover: Math.round((recoveredAt - faultEndedAt) / 100) / 10,
        auditChainOk: (await audit.verify(TENANT)).ok,
        decidedTwice: [...decisions.values()].filter((n) => n > 1).length,
        protectiveWritesLost: open.rows[0]!.failed,
        receiptsOpen: open.rows[0]!.receipts,
      };
    },
    async close() {
      await Promise.all(stack.tollgates.map((t) => t.crash()));
      started.sandbox.setWebhookTargetUrl(undefined);
      await started.sandbox.close();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
      await redis.stop();
    },
  };
  return stack;
}

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config/index.js";
import { createDatabase, type Database } from "../../db/index.js";
import { createConflictGuard, enforceChanges, type EnforcementDeps } from "../../enforce/index.js";
import { createAlerter, createEnforcementGuard, createKillSwitchService, createTriggerCounter, holdingSwitch, type KillSwitchService } from "../../killswitch/index.js";
import { createCounterStore } from "../../limits/index.js";
import { createLogger, type Logger } from "../../observability/index.js";
import { createRollbackService, type RollbackService } from "../../rollback/index.js";
import { createTollgate, type Tollgate } from "../../runtime/create-tollgate.js";
import { toCrmChange } from "../../runtime/to-crm-change.js";
import { startSandbox, type StartedSandbox } from "../../sandbox/index.js";
import { createSnapshotStore } from "../../snapshots/index.js";
import { createWebhookWorkers, type WebhookWorkers } from "../../webhooks/index.js";
import { createCrmWriteQueue, type CrmWriteQueue } from "../../writes/index.js";

export const DRILL_PORTAL_ID = 62515;
const TOLLGATE_APP_ID = 7777;

export interface GuardedStackOptions {
  /** The policy Tollgate runs under. */
  policyYaml: string;
  /** Agents the sandbox issues app tokens for (their writes show as `INTEGRATION` + app id). */
  agents: { id: string; appId: number }[];
  /** A PostgreSQL to use (a fresh schema, dropped at the end); else an in-memory PGlite. */
  databaseUrl?: string | undefined;
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl?: string | undefined;
  alertWebhookUrl?: string | undefined;
  logger?: Logger;
}

/** The sandbox and a Tollgate whose enforcement runs with kill switches, triggers and caps. */
export interface GuardedStack {
  tollgate: Tollgate;
  started: StartedSandbox;
  tenantId: string;
  killSwitches: KillSwitchService;
  writes: CrmWriteQueue;
  rollback: RollbackService;
  /** Waits until webhooks and enforcement are done and no CRM write is left but those a switch holds. */
  settle(timeoutMs?: number): Promise<void>;
  /** Queued writes a switch holds. */
  held(): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * For the kill-switch drill and its benchmark: Tollgate as `createTollgate` builds it, with its
 * workers replaced by ones wired to kill switches (write queue `hold`, enforcement `guard`),
 * until the composition root wires them itself.
 */
export async function startGuardedStack(options: GuardedStackOptions): Promise<GuardedStack> {
  const run = randomBytes(4).toString("hex");
  const clientSecret = randomBytes(16).toString("hex");
  const logger = options.logger ?? createLogger({ level: "silent" });
  const started = await startSandbox({ clientSecret, appId: TOLLGATE_APP_ID, portalId: DRILL_PORTAL_ID, agents: options.agents, webhookDelayMs: 5, demoData: false });
  const schema = `drill_${run}`;
  const db: Database = await createDatabase(options.databaseUrl ? { url: options.databaseUrl, schema } : { dataDir: "memory://" });
  const dir = mkdtempSync(join(tmpdir(), "tollgate-drill-"));
  const policyPath = join(dir, "policy.yaml");
  writeFileSync(policyPath, options.policyYaml);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    TOLLGATE_PUBLIC_URL: baseUrl,
    REDIS_URL: options.redisUrl ?? "redis://127.0.0.1:6379",
    TOLLGATE_POLICY: policyPath,
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    HUBSPOT_ACCESS_TOKEN: started.tollgateToken,
    HUBSPOT_PORTAL_ID: String(DRILL_PORTAL_ID),
    HUBSPOT_APP_ID: String(TOLLGATE_APP_ID),
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: started.sandbox.url,
    LOG_LEVEL: "silent",
  });
  const prefix = `tollgate-drill-${run}`;
  const tollgate = await createTollgate(config, { db, prefix, logger, workers: false });
  const { redis, audit, policies } = tollgate;
  const tenantId = String(DRILL_PORTAL_ID);
  const roleOf = (t: string, agentId: string) => policies.current(t).compiled.agents.get(agentId)?.role;

  const killSwitches = createKillSwitchService({ db, redis, prefix, audit, roleOf, logger });
  const snapshots = createSnapshotStore(db);
  // The rollback service needs the queue, and the queue reports settled rows to it.
  const late: { rollback?: RollbackService } = {};
  const writes = await createCrmWriteQueue({
    db,
    redis,
    prefix,
    audit,
    logger,
    connectorFor: (t) => tollgate.hubspot.connectorFor(t),
    guard: createConflictGuard(snapshots),
    hold: (row) => killSwitches.holdWrite(row),
    onSettled: async (rows) => late.rollback?.onWritesSettled(rows),
  });
  const rollback = (late.rollback = createRollbackService({ db, audit, writes, snapshots }));
  const guard = createEnforcementGuard({
    killSwitches,
    counters: createCounterStore({ redis, prefix }),
    triggers: createTriggerCounter({ redis, prefix }),
    policyOf: (t) => policies.current(t).compiled,
    alert: createAlerter({ logger, webhookUrl: options.alertWebhookUrl }),
    logger,
  });
  const enforcement: EnforcementDeps = { ...tollgate.enforcement, writes, guard };
  killSwitches.onChange((t) => void writes.kick([t]).catch(() => undefined));

  await tollgate.start();
  await killSwitches.start();
  await writes.start();
  const workers: WebhookWorkers = await createWebhookWorkers({
    redis,
    prefix,
    logger,
    handler: async (job) => void (await enforceChanges(enforcement, job.tenantId, job.changes.map(toCrmChange))),
  });
  started.sandbox.setWebhookTargetUrl(`${baseUrl}/webhooks/hubspot`);

  async function busy(): Promise<number> {
    const { rows } = await db.query<{ purpose: string; agent_id: string | null; status: string }>("SELECT purpose, agent_id, status FROM crm_writes WHERE tenant_id = $1 AND status IN ('pending', 'in_flight')", [tenantId]);
    const state = killSwitches.cached(tenantId);
    return rows.filter((r) => r.status === "in_flight" || !holdingSwitch({ tenantId, purpose: r.purpose, agentId: r.agent_id }, state, r.agent_id ? roleOf(tenantId, r.agent_id) : undefined)).length;
  }

  return {
    tollgate,
    started,
    tenantId,
    killSwitches,
    writes,
    rollback,
    async settle(timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      let quietRounds = 0;
      while (Date.now() < deadline) {
        await started.sandbox.webhooksIdle();
        const { webhookJobs } = await tollgate.backlog(tenantId);
        quietRounds = webhookJobs === 0 && (await busy()) === 0 ? quietRounds + 1 : 0;
        if (quietRounds === 3) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`not settled after ${timeoutMs / 1000} s`);
    },
    async held() {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 AND status = 'pending'", [tenantId]);
      return (rows[0]?.n ?? 0) - (await busy());
    },
    async close() {
      started.sandbox.setWebhookTargetUrl(undefined);
      const cleanup = redis.duplicate();
      await workers.close();
      await writes.close();
      await killSwitches.close();
      await tollgate.stop();
      await started.sandbox.close();
      let cursor = "0";
      do {
        const [next, keys] = await cleanup.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await cleanup.del(...keys);
      } while (cursor !== "0");
      cleanup.disconnect();
      if (options.databaseUrl) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

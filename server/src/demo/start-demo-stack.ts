import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../config/index.js";
import { createDatabase, type Database } from "../db/index.js";
import { createLogger } from "../observability/index.js";
import { createTollgate, type Tollgate } from "../runtime/create-tollgate.js";
import { startSandbox, type StartedSandbox } from "../sandbox/index.js";

export const DEMO_PORTAL_ID = 62515;
export const DEMO_TOLLGATE_APP_ID = 7777;
/** Agents of manifests/policy.yaml, each with its own HubSpot app (its own identity, R1). */
export const DEMO_AGENTS = [
  { id: "prospecting-bot", appId: 1000001 },
  { id: "enrichment-bot", appId: 1000002 },
  { id: "outreach-bot", appId: 1000003 },
  { id: "routing-bot", appId: 1000004 },
  { id: "admin-bot", appId: 1000005 },
];

export interface DemoStack {
  tollgate: Tollgate;
  started: StartedSandbox;
  baseUrl: string;
  apiKeys: { revops: string; approver: string; auditor: string };
  settle(timeoutMs?: number): Promise<void>;
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
 * The local HubSpot-compatible sandbox plus a real Tollgate in private-app mode pointed at it.
 * The database is an in-memory PGlite (or a fresh schema when DATABASE_URL is set), so every
 * run starts clean; Redis keys live under a per-run prefix and are removed at the end.
 */
export async function startDemoStack(env: NodeJS.ProcessEnv = process.env): Promise<DemoStack> {
  const clientSecret = randomBytes(16).toString("hex");
  const started = await startSandbox({ clientSecret, appId: DEMO_TOLLGATE_APP_ID, portalId: DEMO_PORTAL_ID, agents: DEMO_AGENTS, users: [{ name: "rep", userId: 42 }], webhookDelayMs: 10 });
  const run = randomBytes(4).toString("hex");
  const db: Database = await createDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, schema: `demo_${run}` } : { dataDir: "memory://" });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiKeys = { revops: `demo-revops-${run}-key`, approver: `demo-approver-${run}-key`, auditor: `demo-auditor-${run}-key` };
  const config = loadConfig({
    PORT: String(port),
    TOLLGATE_PUBLIC_URL: baseUrl,
    REDIS_URL: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    TOLLGATE_POLICY: env.TOLLGATE_POLICY ?? "manifests/policy.yaml",
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    HUBSPOT_ACCESS_TOKEN: started.tollgateToken,
    HUBSPOT_PORTAL_ID: String(DEMO_PORTAL_ID),
    HUBSPOT_APP_ID: String(DEMO_TOLLGATE_APP_ID),
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: started.sandbox.url,
    TOLLGATE_API_KEYS: JSON.stringify([
      { key: apiKeys.revops, role: "revops_admin", name: "Rita (RevOps)" },
      { key: apiKeys.approver, role: "approver", name: "Sam (sales rep)" },
      { key: apiKeys.auditor, role: "auditor", name: "Aud (auditor)" },
    ]),
    LOG_LEVEL: "silent",
  });
  const prefix = `tollgate-demo-${run}`;
  const tollgate = await createTollgate(config, { db, prefix, logger: createLogger({ level: env.LOG_LEVEL === "debug" ? "debug" : "silent" }) });
  await tollgate.start();
  started.sandbox.setWebhookTargetUrl(`${baseUrl}/webhooks/hubspot`);
  const tenant = String(DEMO_PORTAL_ID);

  /** Waits until webhooks, enforcement and CRM writes are all done (or `timeoutMs` passes). */
  async function settle(timeoutMs = 180_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await started.sandbox.webhooksIdle();
      const b = await tollgate.backlog(tenant);
      if (b.webhookJobs === 0 && b.pendingWrites === 0) {
        await new Promise((r) => setTimeout(r, 60));
        await started.sandbox.webhooksIdle();
        const again = await tollgate.backlog(tenant);
        if (again.webhookJobs === 0 && again.pendingWrites === 0) return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`not settled after ${timeoutMs / 1000} s`);
  }

  return {
    tollgate,
    started,
    baseUrl,
    apiKeys,
    settle,
    async close() {
      started.sandbox.setWebhookTargetUrl(undefined);
      const redis = tollgate.redis.duplicate();
      await tollgate.stop();
      await started.sandbox.close();
      // Leave no demo keys behind in the shared Redis.
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
      redis.disconnect();
      if (env.DATABASE_URL) await db.query(`DROP SCHEMA IF EXISTS demo_${run} CASCADE`).catch(() => undefined);
      await db.close();
    },
  };
}

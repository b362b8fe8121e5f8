import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { createDatabase, type Database } from "../../src/db/index.js";
import { createLogger, type Logger } from "../../src/observability/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { createTollgate, type Tollgate } from "../../src/runtime/index.js";
import {
  startSandbox,
  type HubSpotSandboxOptions,
  type StartSandboxOptions,
  type StartedSandbox,
} from "../hubspot/index.js";
import { startSalesforceOrg, type LocalSalesforceOrg } from "./start-salesforce-org.js";

export const LOCAL_PORTAL_ID = 62515;
export const LOCAL_TOLLGATE_APP_ID = 7777;
/** Agents of manifests/policy.yaml, each with its own HubSpot app (its own identity, R1). */
export const POLICY_AGENTS = [
  { id: "prospecting-bot", appId: 1000001 },
  { id: "enrichment-bot", appId: 1000002 },
  { id: "outreach-bot", appId: 1000003 },
  { id: "routing-bot", appId: 1000004 },
  { id: "admin-bot", appId: 1000005 },
];

export interface LocalStackOptions {
  /** The policy to run under. @defaultValue `TOLLGATE_POLICY` or manifests/policy.yaml */
  policyYaml?: string;
  /** @defaultValue {@link POLICY_AGENTS} */
  agents?: { id: string; appId: number }[];
  /** @defaultValue a rep (HubSpot user 42, sales team 4201) and a RevOps admin (43, team 4301) */
  users?: StartSandboxOptions["users"];
  /** Seed a few contacts, companies and deals. @defaultValue true */
  demoData?: boolean;
  /** Use this database (the caller closes it). */
  db?: Database;
  /** Else a fresh schema in this PostgreSQL (dropped at the end); else an in-memory PGlite. */
  databaseUrl?: string | undefined;
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl?: string | undefined;
  /** Redis and BullMQ namespace. @defaultValue a fresh one per stack, removed at the end */
  prefix?: string;
  /** @defaultValue a random one */
  clientSecret?: string;
  /** More configuration (API keys, alert URL…), as environment variables. */
  env?: Record<string, string>;
  logger?: Logger;
  sandbox?: Partial<HubSpotSandboxOptions>;
  /** Runs (and is awaited) on the started sandbox before Tollgate starts: the portal's records and properties as they were before install. */
  beforeStart?: (started: StartedSandbox) => unknown;
  /**
   * Also a Salesforce org (the sandbox), connected by static token, under `policyYaml` (default
   * manifests/policy.salesforce.yaml).
   */
  salesforce?: { policyYaml?: string } | undefined;
}

export interface LocalStack {
  tollgate: Tollgate;
  started: StartedSandbox;
  baseUrl: string;
  tenantId: string;
  /** The Salesforce org, when asked for. */
  salesforce: (LocalSalesforceOrg & { settle(timeoutMs?: number): Promise<void> }) | undefined;
  /** Waits until webhooks, enforcement and CRM writes are done (writes a kill switch holds excepted). */
  settle(timeoutMs?: number): Promise<void>;
  /** Queued agent writes a kill switch holds. */
  /** Queued agent writes kill switches cancelled. */
  cancelled(): Promise<number>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
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
 * The local HubSpot-compatible sandbox plus a real Tollgate in private-app mode pointed at it —
 * what the demo, the kill-switch drill, the benchmarks and the end-to-end tests run.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const run = randomBytes(4).toString("hex");
  const clientSecret = options.clientSecret ?? randomBytes(16).toString("hex");
  const started = await startSandbox({
    clientSecret,
    appId: LOCAL_TOLLGATE_APP_ID,
    portalId: LOCAL_PORTAL_ID,
    agents: options.agents ?? POLICY_AGENTS,
    // A rep on the sales team and a RevOps admin: the shipped policy's approver groups.
    users: options.users ?? [
      { name: "rep", userId: 42, email: "rep@northwind.example", teamIds: ["4201"] },
      { name: "revops", userId: 43, email: "rita@northwind.example", teamIds: ["4301"] },
    ],
    demoData: options.demoData ?? true,
    webhookDelayMs: 5,
    ...options.sandbox,
  });
  const schema = `stack_${run}`;
  const db =
    options.db ??
    (await createDatabase(options.databaseUrl ? { url: options.databaseUrl, schema } : { dataDir: "memory://" }));
  const dir = mkdtempSync(join(tmpdir(), "tollgate-stack-"));
  const policyPath =
    options.policyYaml === undefined
      ? (process.env.TOLLGATE_POLICY ?? "manifests/policy.yaml")
      : join(dir, "policy.yaml");
  if (options.policyYaml !== undefined) writeFileSync(policyPath, options.policyYaml);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configEnv: Record<string, string> = {
    PORT: String(port),
    TOLLGATE_PUBLIC_URL: baseUrl,
    REDIS_URL: options.redisUrl ?? "redis://127.0.0.1:6379",
    TOLLGATE_POLICY: policyPath,
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    HUBSPOT_ACCESS_TOKEN: started.tollgateToken,
    HUBSPOT_PORTAL_ID: String(LOCAL_PORTAL_ID),
    HUBSPOT_APP_ID: String(LOCAL_TOLLGATE_APP_ID),
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: started.sandbox.url,
    LOG_LEVEL: "silent",
    ...options.env,
  };
  const config = loadConfig(configEnv);
  const prefix = options.prefix ?? `tollgate-stack-${run}`;
  const sf = options.salesforce ? await startSalesforceOrg() : undefined;
  if (sf) Object.assign(config, loadConfig({ ...configEnv, ...sf.env }));
  const tollgate = await createTollgate(config, {
    db,
    prefix,
    logger: options.logger ?? createLogger({ level: "silent" }),
  });
  // The org's own policy (its field names are Salesforce's) before start provisions the org.
  if (sf)
    await tollgate.services.policies.replace(
      sf.org.orgId,
      options.salesforce?.policyYaml ?? readFileSync("manifests/policy.salesforce.yaml", "utf8"),
      { type: "system", id: "local-stack", role: null, via: "local-stack" },
    );
  await options.beforeStart?.(started);
  await tollgate.start();
  started.sandbox.setWebhookTargetUrl(`${baseUrl}/webhooks/hubspot`);
  const tenantId = String(LOCAL_PORTAL_ID);

  /** Writes still to go (in flight or pending: a switch cancels what it covers, so nothing waits on one). */
  async function writesToGo(tenantId = String(LOCAL_PORTAL_ID)): Promise<{ toGo: number; cancelled: number }> {
    const { rows } = await db.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 AND status IN ('pending', 'in_flight', 'cancelled') GROUP BY status",
      [tenantId],
    );
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { toGo: n("pending") + n("in_flight"), cancelled: n("cancelled") };
  }

  return {
    tollgate,
    started,
    baseUrl,
    tenantId,
    salesforce: sf && {
      ...sf,
      async settle(timeoutMs = 60_000) {
        const deadline = Date.now() + timeoutMs;
        let quietRounds = 0;
        const cdc = tollgate.internals.salesforceCdc!;
        while (Date.now() < deadline) {
          await cdc.idle();
          const caughtUp = cdc.position() >= sf.org.streaming.latestReplayId();
          quietRounds = caughtUp && (await writesToGo(sf.org.orgId)).toGo === 0 ? quietRounds + 1 : 0;
          if (quietRounds === 3) return;
          await new Promise((r) => setTimeout(r, quietRounds ? 30 : 60));
        }
        throw new Error(`salesforce not settled after ${timeoutMs / 1000} s`);
      },
    },
    async settle(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      let quietRounds = 0;
      while (Date.now() < deadline) {
        await started.sandbox.webhooksIdle();
        const { webhookJobs } = await tollgate.backlog(tenantId);
        // Webhooks beget writes beget webhooks: quiet only when it stays quiet.
        quietRounds = webhookJobs === 0 && (await writesToGo()).toGo === 0 ? quietRounds + 1 : 0;
        if (quietRounds === 3) return;
        await new Promise((r) => setTimeout(r, quietRounds ? 20 : 50));
      }
      throw new Error(`not settled after ${timeoutMs / 1000} s`);
    },
    async cancelled() {
      return (await writesToGo()).cancelled;
    },
    async close() {
      started.sandbox.setWebhookTargetUrl(undefined);
      const cleanup = tollgate.internals.redis.duplicate();
      await tollgate.stop();
      await started.sandbox.close();
      await sf?.org.close();
      if (options.prefix === undefined) {
        // Leave no keys of this stack behind in a shared Redis.
        await deleteKeysUnder(cleanup, prefix);
      }
      cleanup.disconnect();
      if (!options.db) {
        if (options.databaseUrl) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
        await db.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { createServer } from "node:net";
import { loadConfig } from "../../src/config/index.js";
import { createTollgate, type Tollgate } from "../../src/runtime/create-tollgate.js";
import { startSandbox, type StartedSandbox } from "../../src/sandbox/index.js";
import { createLogger } from "../../src/observability/index.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "./test-database.js";

export const TOLLGATE_APP_ID = 7777;
export const PORTAL_ID = 62515;
/** The agents of manifests/policy.yaml, with the HubSpot app ids it declares. */
export const POLICY_AGENTS = [
  { id: "prospecting-bot", appId: 1000001 },
  { id: "enrichment-bot", appId: 1000002 },
  { id: "outreach-bot", appId: 1000003 },
  { id: "routing-bot", appId: 1000004 },
  { id: "admin-bot", appId: 1000005 },
];

export interface Harness {
  tollgate: Tollgate;
  started: StartedSandbox;
  t: TestDatabase;
  baseUrl: string;
  /** Waits until webhooks, enforcement and CRM writes have all settled. */
  settle(): Promise<void>;
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
 * A real Tollgate (real PostgreSQL schema, real Redis under its own prefix) in private-app mode
 * against the HubSpot sandbox, which sends it signed webhooks exactly as HubSpot would.
 */
export async function startTollgateWithSandbox(options: { env?: Record<string, string>; sandbox?: Partial<Parameters<typeof startSandbox>[0]> } = {}): Promise<Harness> {
  const started = await startSandbox({
    clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
    appId: TOLLGATE_APP_ID,
    portalId: PORTAL_ID,
    agents: POLICY_AGENTS,
    users: [{ name: "rep", userId: 42 }],
    webhookDelayMs: 5,
    ...options.sandbox,
  });
  const t = await createTestDatabase({ poolSize: 10 });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    TOLLGATE_PUBLIC_URL: baseUrl,
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: TEST_DATABASE_URL,
    HUBSPOT_ACCESS_TOKEN: started.tollgateToken,
    HUBSPOT_PORTAL_ID: String(PORTAL_ID),
    HUBSPOT_APP_ID: String(TOLLGATE_APP_ID),
    HUBSPOT_CLIENT_SECRET: HUBSPOT_TEST_CLIENT_SECRET,
    HUBSPOT_API_BASE_URL: started.sandbox.url,
    TOLLGATE_ENCRYPTION_KEY: "0f".repeat(32),
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const tollgate = await createTollgate(config, { db: t.db, prefix: testPrefix("e2e"), logger: createLogger({ level: "silent" }) });
  await tollgate.start();
  started.sandbox.setWebhookTargetUrl(`${baseUrl}/webhooks/hubspot`);

  async function settle() {
    // Webhooks beget enforcement, which begets CRM writes, which beget webhooks: loop until quiet.
    for (let round = 0; round < 20; round++) {
      await started.sandbox.webhooksIdle();
      await waitForQueues(tollgate);
      await tollgate.writes.drain(String(PORTAL_ID), { timeoutMs: 15_000 });
      await started.sandbox.webhooksIdle();
      if (await quiet(tollgate)) return;
    }
    throw new Error("the system did not settle");
  }

  return {
    tollgate,
    started,
    t,
    baseUrl,
    settle,
    async close() {
      started.sandbox.setWebhookTargetUrl(undefined);
      await tollgate.stop();
      await started.sandbox.close();
      await t.drop();
    },
  };
}

async function waitForQueues(tollgate: Tollgate): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await quiet(tollgate)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** No webhook job waiting or running, no CRM write pending. */
async function quiet(tollgate: Tollgate): Promise<boolean> {
  const backlog = await tollgate.backlog(String(PORTAL_ID));
  return backlog.webhookJobs === 0 && backlog.pendingWrites === 0;
}

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { createDatabase } from "../../src/db/index.js";
import { drillPolicyYaml, type DrillContext } from "../../src/drills/index.js";
import { createLogger } from "../../src/observability/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { createTollgate } from "../../src/runtime/index.js";
import { callAs, drillKeys } from "../demo/start-drill-stack.js";
import { freePort } from "../demo/start-local-stack.js";

export interface LiveDrillStack {
  ctx: DrillContext;
  target: string;
  /** Removes the test contact and verifies it is gone; returns what the report says about it. */
  close(): Promise<{ notes: string[]; clean: boolean }>;
}

/**
 * `tollgate drill … --live` (docs/operations.md "Drills"): the drills against the configured
 * HubSpot portal (HUBSPOT_ACCESS_TOKEN, HUBSPOT_PORTAL_ID, HUBSPOT_API_BASE_URL), dry and
 * reversible. A Tollgate runs in this process under the drill policy with its own throwaway
 * database schema and Redis prefix — the deployment's policy, audit and queues are never touched —
 * and without workers, so no queued CRM write is ever sent. The only CRM writes are one test
 * contact the drill creates and archives at the end (verified gone); drills that write to records
 * ask the gate about that contact alone, and Tollgate reads it from the live CRM to decide.
 * Refuses unless `confirmPortal` names the configured portal.
 */
export async function startLiveDrillStack(env: NodeJS.ProcessEnv, confirmPortal: string | undefined) {
  const configured = loadConfig(env).hubspot;
  if (!configured.accessToken || !configured.portalId)
    throw new Error(
      "--live needs the HubSpot portal Tollgate is configured with: HUBSPOT_ACCESS_TOKEN (a private-app token) and HUBSPOT_PORTAL_ID",
    );
  const portal = configured.portalId;
  if (confirmPortal !== portal)
    throw new Error(
      `--live creates and archives a test contact in HubSpot portal ${portal} (${configured.apiBaseUrl}): confirm with --confirm-portal ${portal}`,
    );
  const run = randomBytes(4).toString("hex");
  const { keys, apiKeysEnv } = drillKeys();
  const dir = mkdtempSync(join(tmpdir(), "tollgate-live-drill-"));
  const policyPath = join(dir, "policy.yaml");
  writeFileSync(policyPath, drillPolicyYaml());
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const schema = `drill_live_${run}`;
  const db = await createDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, schema } : { dataDir: "memory://" });
  const prefix = `tollgate-drill-live-${run}`;
  const config = loadConfig({
    PORT: String(port),
    TOLLGATE_PUBLIC_URL: baseUrl,
    REDIS_URL: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    TOLLGATE_POLICY: policyPath,
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    TOLLGATE_API_KEYS: apiKeysEnv,
    HUBSPOT_ACCESS_TOKEN: configured.accessToken,
    HUBSPOT_PORTAL_ID: portal,
    HUBSPOT_API_BASE_URL: configured.apiBaseUrl,
    ...(env.HUBSPOT_APP_ID ? { HUBSPOT_APP_ID: env.HUBSPOT_APP_ID } : {}),
    ...(env.HUBSPOT_CLIENT_SECRET ? { HUBSPOT_CLIENT_SECRET: env.HUBSPOT_CLIENT_SECRET } : {}),
    LOG_LEVEL: "silent",
  });
  const tollgate = await createTollgate(config, {
    db,
    prefix,
    workers: false,
    logger: createLogger({ level: "silent" }),
  });
  await tollgate.start();
  // The test contact goes through the drill Tollgate's own connector: CRM specifics stay behind CrmConnector.
  const crm = await tollgate.internals.connectorFor(portal);
  if (!crm.createRecord || !crm.archiveRecord)
    throw new Error(`the ${crm.crm} connector cannot create and archive records`);
  const email = `tollgate-drill-${run}@drill.tollgate.invalid`;
  const contact = await crm.createRecord("contacts", {
    email,
    firstname: "Tollgate",
    lastname: `Drill ${run}`,
    jobtitle: "Drill analyst",
  });
  const ctx: DrillContext = {
    tenantId: portal,
    call: callAs(baseUrl, keys),
    async agentWrites() {
      throw new Error("a live drill never writes as an agent: it asks the gate about its test contact");
    },
    // No workers: nothing Tollgate queues for the CRM is ever sent.
    settle: async () => undefined,
    readRecord: async (objectType, objectId) => {
      const [record] = await crm.readRecords(objectType, [objectId], ["email", "jobtitle"]);
      if (!record) throw new Error(`reading ${objectType}/${objectId}: no such record`);
      return record.properties;
    },
    testContact: contact,
  };
  return {
    ctx,
    target: `live HubSpot portal ${portal} (${configured.apiBaseUrl})`,
    async close() {
      const notes = [`test contact ${contact} (${email}) created in portal ${portal} for the drill`];
      let clean = false;
      try {
        await crm.archiveRecord!("contacts", contact);
        clean = (await crm.readRecords("contacts", [contact], ["email"])).length === 0;
        notes.push(
          clean
            ? `test contact ${contact} archived at the end; reading it back finds nothing (verified)`
            : `test contact ${contact} still readable after archiving: remove it by hand`,
        );
      } catch (err) {
        notes.push(`test contact ${contact} could not be archived (${(err as Error).message}): remove it by hand`);
      }
      notes.push("no other CRM record was written: the drill's Tollgate ran without workers and its own schema");
      const cleanup = tollgate.internals.redis.duplicate();
      await tollgate.stop();
      await deleteKeysUnder(cleanup, prefix);
      cleanup.disconnect();
      if (env.DATABASE_URL) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      return { notes, clean };
    },
  } satisfies LiveDrillStack;
}

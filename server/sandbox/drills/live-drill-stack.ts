import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import type { CrmConnector } from "../../src/crm/index.js";
import { createDatabase } from "../../src/db/index.js";
import { drillPolicyYaml, testContactFields, type DrillContext } from "../../src/drills/index.js";
import { createLogger } from "../../src/observability/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { createTollgate } from "../../src/runtime/index.js";
import { callAs, drillKeys } from "../demo/start-drill-stack.js";
import { freePort } from "../demo/start-local-stack.js";
import { chooseLiveTarget, type LiveConfirmation, type LiveTarget } from "./choose-live-target.js";

export interface LiveDrillStack {
  ctx: DrillContext;
  target: string;
  /** Removes the test contact and verifies it is gone; returns what the report says about it. */
  close(): Promise<{ notes: string[]; clean: boolean }>;
}

/**
 * `tollgate drill … --live` (docs/operations.md "Drills"): the drills against the CRM Tollgate is
 * configured with — a HubSpot portal (private-app token) or a Salesforce org — dry and
 * reversible. Refuses unless the confirmation names that portal or org (choose-live-target.ts).
 * A Tollgate runs in this process under the drill policy with its own throwaway database schema
 * and Redis prefix — the deployment's policy, audit and queues are never touched — and without
 * workers, so no queued CRM write is ever sent. The only CRM writes are one test contact the
 * drill creates and removes at the end (verified gone), both through the drill Tollgate's own
 * `CrmConnector`; drills that write to records ask the gate about that contact alone, and
 * Tollgate reads it from the live CRM to decide.
 */
export async function startLiveDrillStack(env: NodeJS.ProcessEnv, confirm: LiveConfirmation): Promise<LiveDrillStack> {
  const target = await chooseLiveTarget(env, confirm);
  const { crm: names, tenantId } = target;
  const run = randomBytes(4).toString("hex");
  const { tollgate, baseUrl, keys, teardown } = await startDrillTollgate(env, target, run);
  const fields = testContactFields(names, run);
  const email = fields[names.emailField];
  let crm: CrmConnector;
  let contact: string;
  try {
    await tollgate.start();
    // The test contact goes through the drill Tollgate's own connector: CRM specifics stay behind CrmConnector.
    crm = await tollgate.internals.connectorFor(tenantId);
    if (!crm.createRecord || !crm.archiveRecord)
      throw new Error(`the ${crm.crm} connector cannot create and archive records`);
    contact = await crm.createRecord(names.objectType, fields);
  } catch (err) {
    await teardown();
    throw err;
  }
  const ctx: DrillContext = {
    tenantId,
    crm: names,
    call: callAs(baseUrl, keys),
    async agentWrites() {
      throw new Error("a live drill never writes as an agent: it asks the gate about its test contact");
    },
    // No workers: nothing Tollgate queues for the CRM is ever sent.
    settle: async () => undefined,
    readRecord: async (objectType, objectId) => {
      const [record] = await crm.readRecords(objectType, [objectId], [names.emailField, names.titleField]);
      if (!record) throw new Error(`reading ${objectType}/${objectId}: no such record`);
      return record.properties;
    },
    testRecord: { ...names, id: contact },
  };
  const where = target.name;
  return {
    ctx,
    target: `live ${where}`,
    async close() {
      const notes = [`test contact ${contact} (${email}) created in ${where} for the drill`];
      let clean = false;
      try {
        await crm.archiveRecord!(names.objectType, contact);
        clean = (await crm.readRecords(names.objectType, [contact], [names.emailField])).length === 0;
        notes.push(
          clean
            ? `test contact ${contact} ${target.removal} at the end; reading it back finds nothing (verified)`
            : `test contact ${contact} still readable after removing it: remove it by hand`,
        );
      } catch (err) {
        notes.push(`test contact ${contact} could not be removed (${(err as Error).message}): remove it by hand`);
      }
      notes.push("no other CRM record was written: the drill's Tollgate ran without workers and its own schema");
      await teardown();
      return { notes, clean };
    },
  };
}

/**
 * The drill's own Tollgate for `target`: the drill policy naming that CRM, a throwaway schema and
 * Redis prefix, fresh keys, no workers, the org not provisioned. Not started yet.
 */
async function startDrillTollgate(env: NodeJS.ProcessEnv, target: LiveTarget, run: string) {
  // Bound to the tenant: a Salesforce org is not the default tenant of a Tollgate without a portal.
  const { keys, apiKeysEnv } = drillKeys(target.tenantId);
  const dir = mkdtempSync(join(tmpdir(), "tollgate-live-drill-"));
  const policyPath = join(dir, "policy.yaml");
  writeFileSync(policyPath, drillPolicyYaml({ crm: target.crm.crm }));
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
    ...target.env,
    LOG_LEVEL: "silent",
  });
  const tollgate = await createTollgate(config, {
    db,
    prefix,
    workers: false,
    // The org keeps its fields, field access and CDC selection: the gate reads standard fields only.
    provisionSalesforce: false,
    logger: createLogger({ level: "silent" }),
  });
  const teardown = async () => {
    const cleanup = tollgate.internals.redis.duplicate();
    await tollgate.stop();
    await deleteKeysUnder(cleanup, prefix);
    cleanup.disconnect();
    if (env.DATABASE_URL) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { tollgate, baseUrl, keys, teardown };
}

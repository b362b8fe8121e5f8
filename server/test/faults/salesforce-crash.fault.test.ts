import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.js";
import { createDatabase, type Database } from "../../src/db/index.js";
import { SALESFORCE_POLICY_USERS } from "../../sandbox/demo/start-salesforce-org.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";
import { TEST_DATABASE_URL } from "../helpers/test-database.js";
import { spawnTollgate, startOwnRedis, until, type OwnRedis, type TollgateProcess } from "./fault-harness.js";
import { describeFaults } from "./describe-faults.js";

// Tollgate as its own process on the Salesforce sandbox, killed -9 right after it saved a CDC
// replay id mid-runaway: the restart resumes after that id and sends the queued reverts, and
// every disallowed write is undone exactly once, decided once, with the audit chain intact.

const OPEN = "Open - Not Contacted";
let org: SalesforceSandbox;
let redis: OwnRedis;
let db: Database;
let env: Record<string, string>;
let tollgateUserId: string;
let running: TollgateProcess | undefined;
const schema = `fault_sf_${randomBytes(5).toString("hex")}`;

beforeAll(async () => {
  org = await createSalesforceSandbox({ longPollMs: 1_000 });
  tollgateUserId = org.users.create("Tollgate Integration").id;
  const agent = SALESFORCE_POLICY_USERS.enrichment;
  org.users.create(agent.name, undefined, agent.id);
  redis = await startOwnRedis();
  const admin = await createDatabase({ url: TEST_DATABASE_URL, poolSize: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const databaseUrl = `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema}`;
  db = await createDatabase({ url: databaseUrl, poolSize: 2 });
  env = {
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
    TOLLGATE_POLICY: "manifests/policy.salesforce.yaml",
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    SALESFORCE_INSTANCE_URL: org.url,
    SALESFORCE_ACCESS_TOKEN: org.users.token(tollgateUserId),
    TOLLGATE_RETRY_BASE_MS: "100",
    TOLLGATE_RETRY_MAX_MS: "500",
    TOLLGATE_SWEEP_INTERVAL_MS: "300",
    TOLLGATE_RECONCILE_INTERVAL_S: "0",
    // The crashed process's write flush stays locked this long: the restart takes it over after one to two.
    TOLLGATE_JOB_LOCK_MS: "2000",
  };
}, 60_000);
afterAll(async () => {
  await running?.crash();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db?.close();
  await redis?.stop();
  await org?.close();
});

const savedReplayId = async () =>
  (await db.query<{ replay_id: string }>("SELECT replay_id FROM salesforce_replay_positions")).rows.map((r) =>
    Number(r.replay_id),
  )[0];

describeFaults("fault: Tollgate killed -9 right after saving a CDC replay id", () => {
  it("resumes after it: every disallowed write undone exactly once, each decided once, the chain verifies", async () => {
    running = await spawnTollgate(env);
    await until(async () => (org.streaming.heldConnects() > 0 ? true : undefined), 30_000, "CDC subscribed");
    const ids = org.seed(
      "Lead",
      Array.from({ length: 200 }, (_, i) => ({ LastName: `Crash ${i}`, Company: "Acme", Status: OPEN })),
    );
    const before = (await savedReplayId()) ?? -2;
    // The org refuses Tollgate's writes for now, so the reverts are still queued when it dies.
    org.limits.failWrites(true);
    for (const id of ids)
      org.write("Lead", id, { Status: "Closed - Converted" }, SALESFORCE_POLICY_USERS.enrichment.id);
    await until(async () => ((await savedReplayId())! > before ? true : undefined), 30_000, "a replay id saved");
    await running.crash();
    const pending = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM crm_writes WHERE status <> 'done'");
    expect(pending.rows[0]!.n).toBeGreaterThan(0);
    org.limits.failWrites(false);

    running = await spawnTollgate(env);
    await until(
      async () => {
        if (ids.some((id) => org.getRecord("Lead", id)!["Status"] !== OPEN)) return undefined;
        const open = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM crm_writes WHERE status IN ('pending', 'in_flight')",
        );
        return open.rows[0]!.n === 0 ? true : undefined;
      },
      // The crashed process's write flush is taken over after one to two TOLLGATE_JOB_LOCK_MS (2 s here; measured
      // 3-4 s from the new process being up to the last revert, where the 30 s default took 30-60 s).
      20_000,
      "every write reverted and nothing left to do",
    );
    const tollgateWrites = (id: string) =>
      org.history("Lead", id, "Status").filter((r) => r["CreatedById"] === tollgateUserId).length;
    expect(ids.filter((id) => tollgateWrites(id) !== 1)).toEqual([]);
    const { rows } = await db.query<{ object_id: string; n: number }>(
      `SELECT event->>'object_id' AS object_id, count(*)::int AS n FROM audit_events
        WHERE event->'decision'->>'outcome' = 'deny' GROUP BY 1`,
    );
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect((await (await createAuditLog(db)).verify(org.orgId)).ok).toBe(true);
  }, 240_000);
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReplayPositionStore } from "../../src/cdc/index.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { createLogger } from "../../src/observability/index.js";
import { deleteKeysUnder } from "../../src/redis/index.js";
import { createTollgate, type Tollgate } from "../../src/runtime/index.js";
import { startSalesforceOrg, type LocalSalesforceOrg } from "../../sandbox/demo/start-salesforce-org.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";
import { startAlertReceiver, type AlertReceiver } from "../helpers/alert-receiver.js";

// Tollgate stopped for longer than the org keeps change events (the sandbox keeps them 3 s here;
// Salesforce keeps them 72 hours), agents writing meanwhile. On start its saved replay id is
// refused as Salesforce refuses it (`400::The replayId {…} you provided was invalid…`): the gap
// is read back from the org and enforced once, audited and alerted, and the stream resumes from
// what is still retained (-2) and then after each event it processes. Real PostgreSQL and Redis.

const RETENTION_MS = 3_000;
const OPEN = "Open - Not Contacted";
const CLOSED = "Closed - Converted";

let t: TestDatabase;
let sf: LocalSalesforceOrg;
let config: Config;
let tollgate: Tollgate | undefined;
let alertReceiver: AlertReceiver;
const prefix = testPrefix("sf-retention");

beforeAll(async () => {
  alertReceiver = await startAlertReceiver();
  t = await createTestDatabase({ poolSize: 10 });
  sf = await startSalesforceOrg({ retainEventsMs: RETENTION_MS, longPollMs: 500 });
  config = loadConfig({
    PORT: "0",
    REDIS_URL: TEST_REDIS_URL,
    TOLLGATE_POLICY: "manifests/policy.salesforce.yaml",
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    TOLLGATE_ALERT_WEBHOOK_URL: alertReceiver.url,
    // No periodic sweep: what finds the gap here is the refused replay id alone.
    TOLLGATE_RECONCILE_INTERVAL_S: "0",
    TOLLGATE_RETRY_BASE_MS: "50",
    TOLLGATE_RETRY_MAX_MS: "200",
    LOG_LEVEL: "silent",
    ...sf.env,
  });
}, 60_000);
afterAll(async () => {
  await tollgate?.stop();
  const redis = tollgate?.internals.redis.duplicate();
  if (redis) {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  }
  await sf?.org.close();
  await t?.drop();
  alertReceiver?.close();
});

async function startTollgate(): Promise<Tollgate> {
  const started = await createTollgate(config, { db: t.db, prefix, logger: createLogger({ level: "silent" }) });
  await started.start();
  return started;
}

/** CDC caught up with the org and no CRM write left to send. */
async function settle(running: Tollgate): Promise<void> {
  const cdc = running.internals.salesforceCdc!;
  let quiet = 0;
  await waitFor(
    async () => {
      await cdc.idle();
      const { rows } = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 AND status IN ('pending', 'in_flight')",
        [sf.org.orgId],
      );
      quiet = cdc.position() >= sf.org.streaming.latestReplayId() && rows[0]!.n === 0 ? quiet + 1 : 0;
      if (quiet < 3) await new Promise((r) => setTimeout(r, 50));
      return quiet >= 3;
    },
    30_000,
    "salesforce settled",
  );
}

const tollgateWrites = (id: string, field: string) =>
  sf.org.history("Lead", id, field).filter((r) => r["CreatedById"] === sf.tollgateUser.id).length;
const agentWrites = (id: string, fields: Record<string, string>) =>
  sf.org.write("Lead", id, fields, sf.users.enrichment.id);
const savedPosition = () => createReplayPositionStore(t.db).get(sf.org.orgId, "/data/ChangeEvents");

describe("Salesforce CDC: a replay id past retention", () => {
  it("reconciles the gap once on start (audited, alerted), then resumes the stream from what is retained", async () => {
    const [before, expired, retained, later] = sf.org.seed(
      "Lead",
      Array.from({ length: 4 }, (_, i) => ({
        LastName: `Retention ${i}`,
        Company: "Acme",
        Status: OPEN,
        Title: "CTO",
      })),
    );
    tollgate = await startTollgate();
    agentWrites(before!, { Status: CLOSED });
    await settle(tollgate);
    expect(sf.org.getRecord("Lead", before!)!["Status"]).toBe(OPEN);
    const stopped = await savedPosition();
    expect(stopped!.replayId).toBeGreaterThan(0);
    await tollgate.stop();
    tollgate = undefined;

    // Down: an agent's disallowed and allowed writes, and a person's, all gone from the stream
    // by the time Tollgate is back...
    agentWrites(expired!, { Status: CLOSED, Industry: "Banking" });
    sf.org.write("Lead", expired!, { Title: "VP Sales" }, sf.users.rep.id);
    await new Promise((r) => setTimeout(r, RETENTION_MS + 500));
    // ...and one still retained: both the reconciliation and the replay see it.
    agentWrites(retained!, { Status: CLOSED });

    tollgate = await startTollgate();
    await waitFor(() => sf.org.getRecord("Lead", expired!)!["Status"] === OPEN, 30_000, "the gap reverted");
    await waitFor(() => sf.org.getRecord("Lead", retained!)!["Status"] === OPEN, 30_000, "the retained write reverted");
    await settle(tollgate);

    const expiredLead = sf.org.getRecord("Lead", expired!)!;
    expect(expiredLead["Industry"]).toBe("Banking"); // allowed: stays
    expect(expiredLead["Title"]).toBe("VP Sales"); // a person's: untouched
    expect(tollgateWrites(expired!, "Status")).toBe(1);
    expect(tollgateWrites(retained!, "Status")).toBe(1);
    expect(tollgateWrites(expired!, "Title")).toBe(0);

    // Audited once, in the org's chain, and alerted.
    const { events } = await tollgate.services.audit.query({ tenantId: sf.org.orgId, limit: 500 });
    const lost = events.filter((e) => e.action === "cdc_position_lost");
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatch(/^400::The replayId \{\d+\} you provided was invalid/);
    expect(lost[0]!.evidence).toMatchObject({ channel: "/data/ChangeEvents", replayId: stopped!.replayId });
    expect(events.filter((e) => e.object_id === expired && e.decision?.outcome === "deny")).toHaveLength(1);
    expect(events.filter((e) => e.object_id === retained && e.decision?.outcome === "deny")).toHaveLength(1);
    await waitFor(
      () => alertReceiver.alerts.some((a) => a["type"] === "crm.stream_position_lost"),
      10_000,
      "the alert",
    );
    expect(alertReceiver.alerts.find((a) => a["type"] === "crm.stream_position_lost")).toMatchObject({
      tenantId: sf.org.orgId,
      crm: "salesforce",
      replayId: stopped!.replayId,
    });
    expect((await tollgate.services.audit.verify(sf.org.orgId)).ok).toBe(true);

    // The stream runs again: a new write is enforced over CDC, and the position moves past it.
    agentWrites(later!, { Status: CLOSED });
    await waitFor(() => sf.org.getRecord("Lead", later!)!["Status"] === OPEN, 30_000, "a later write reverted");
    await settle(tollgate);
    expect(tollgateWrites(later!, "Status")).toBe(1);
    expect((await savedPosition())!.replayId).toBe(sf.org.streaming.latestReplayId());
  }, 120_000);
});

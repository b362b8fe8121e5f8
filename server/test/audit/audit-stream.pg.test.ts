import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, createAuditStream, type AuditLog, type AuditStreamOptions } from "../../src/audit/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { fieldWrite, newTenant } from "./support.js";

// Issue 9, finding 11 (SIEM): the audit stream reaches an outside receiver (mocked at the HTTP
// boundary with nock, as it is external HTTPS) at least once — a receiver that is down, an
// answer that is lost, a restart: nothing is lost, and only an unacknowledged batch comes twice.

const SIEM = "https://siem.example.test";
const PATH = "/services/collector/raw";
let t: TestDatabase;
let audit: AuditLog;
let clock = Date.UTC(2026, 2, 1);

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db);
  nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await t?.drop();
});

const stream = (over: Partial<AuditStreamOptions> = {}) =>
  createAuditStream({
    db: t.db,
    url: `${SIEM}${PATH}`,
    authorization: "Splunk test-hec-token",
    batchSize: 3,
    retryBaseMs: 1000,
    retryMaxMs: 8000,
    now: () => new Date(clock),
    ...over,
  });

/** A receiver that keeps the event ids it acknowledged, in order, and the requests it saw. */
function receiver(times: number) {
  const acked: string[] = [];
  const headers: Record<string, string>[] = [];
  nock(SIEM)
    .post(PATH)
    .times(times)
    .reply(function (_uri, body) {
      headers.push(this.req.headers as Record<string, string>);
      const lines = String(body).split("\n").filter(Boolean);
      acked.push(...lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id));
      return [200, { text: "Success", code: 0 }];
    });
  return { acked, headers };
}

/** Delivers what earlier tests left, so a test sees only its own tenant. */
async function drainOthers(): Promise<void> {
  receiver(50);
  await stream().runOnce();
  nock.cleanAll();
}

async function appendN(tenant: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await audit.append(fieldWrite(tenant))).event_id);
  return ids;
}

async function onlyTenant(tenant: string, ids: string[]) {
  const all = await audit.query({ tenantId: tenant, limit: 1000 });
  return ids.filter((id) => all.events.some((e) => e.event_id === id));
}

describe("audit stream to a SIEM", () => {
  it("delivers each tenant's events in chain order as NDJSON with the configured Authorization", async () => {
    const tenant = newTenant("siem");
    const ids = await appendN(tenant, 5);
    const r = receiver(10);
    const s = stream();
    await s.runOnce();
    expect(await onlyTenant(tenant, r.acked)).toEqual(ids);
    expect(r.headers[0]).toMatchObject({
      authorization: "Splunk test-hec-token",
      "content-type": "application/x-ndjson",
    });
    expect(r.headers.map((h) => h["x-tollgate-batch"])).toContain(`${tenant}/1-3`);
    expect(await s.deliveredThrough(tenant)).toBe(5);
    // Nothing new: nothing sent.
    const again = receiver(1);
    await s.runOnce();
    expect(again.acked).toEqual([]);
  });

  it("receiver down, then up: nothing lost, nothing sent twice, retried with backoff", async () => {
    const tenant = newTenant("down");
    await drainOthers();
    const ids = await appendN(tenant, 4);
    nock(SIEM).post(PATH).reply(503, "busy");
    const s = stream();
    await s.runOnce();
    expect(await s.deliveredThrough(tenant)).toBe(0);
    // Backing off: not retried before the delay has passed.
    const early = receiver(5);
    await s.runOnce();
    expect(early.acked).toEqual([]);
    nock.cleanAll();
    // Down again when retried, then the delay doubles.
    clock += 1_000;
    nock(SIEM).post(PATH).replyWithError("connect ECONNREFUSED");
    await s.runOnce();
    const { rows } = await t.db.query<{ failures: number; next_at: Date }>(
      "SELECT failures, next_at FROM audit_stream_cursors WHERE tenant_id = $1",
      [tenant],
    );
    expect(rows[0]!.failures).toBe(2);
    expect(rows[0]!.next_at.getTime()).toBe(clock + 2_000);
    clock += 2_000;
    const up = receiver(5);
    await s.runOnce();
    expect(up.acked).toEqual(ids);
    expect(await s.deliveredThrough(tenant)).toBe(4);
  });

  it("an answer lost after the receiver took the batch: that batch comes again, and only it (at least once)", async () => {
    const tenant = newTenant("lost");
    await drainOthers();
    const ids = await appendN(tenant, 5);
    const seen: string[] = [];
    nock(SIEM)
      .post(PATH)
      .reply(200, (_uri, body) => {
        seen.push(
          ...String(body)
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l).event_id as string),
        );
        return "ok";
      });
    nock(SIEM).post(PATH).replyWithError("socket hang up");
    const s = stream();
    await s.runOnce();
    expect(await s.deliveredThrough(tenant)).toBe(3);
    clock += 60_000;
    const r = receiver(5);
    await s.runOnce();
    expect([...seen, ...r.acked]).toEqual(ids);
  });

  it("the cursor survives a restart: a new stream carries on where the old one stopped", async () => {
    const tenant = newTenant("restart");
    await drainOthers();
    const first = await appendN(tenant, 2);
    const r1 = receiver(5);
    const before = stream();
    await before.runOnce();
    before.stop();
    expect(r1.acked).toEqual(first);
    const second = await appendN(tenant, 2);
    nock.cleanAll();
    const r2 = receiver(5);
    await stream().runOnce();
    expect(r2.acked).toEqual(second);
  });

  it("two processes streaming at once never send the same batch", async () => {
    const tenant = newTenant("pair");
    await drainOthers();
    const ids = await appendN(tenant, 9);
    const r = receiver(20);
    await Promise.all([stream().runOnce(), stream().runOnce()]);
    await stream().runOnce();
    expect(r.acked).toEqual(ids);
  });
});

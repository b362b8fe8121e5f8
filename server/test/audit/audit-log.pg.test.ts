import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, GENESIS_HASH, type AuditLog } from "../../src/audit/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { chainSuite } from "./chain-suite.js";
import { querySuite } from "./query-suite.js";
import { fieldWrite, newTenant, type OpenedDatabase } from "./support.js";

async function openPostgres(): Promise<OpenedDatabase> {
  const test = await createTestDatabase({ poolSize: 12 });
  return { db: test.db, close: () => test.drop() };
}

describe("audit log on PostgreSQL: chain", () => chainSuite(openPostgres));
describe("audit log on PostgreSQL: reading back", () => querySuite(openPostgres));

describe("audit log on PostgreSQL: concurrent writers", () => {
  let test: TestDatabase;
  // Ten logs over one pool of twelve connections stand for ten server processes: each groups
  // its own appends, and only the database's head lock keeps them from forking the chain.
  let logs: AuditLog[];

  beforeAll(async () => {
    test = await createTestDatabase({ poolSize: 12 });
    logs = await Promise.all(Array.from({ length: 10 }, () => createAuditLog(test.db)));
  });
  afterAll(async () => test?.drop());

  it("never forks one tenant's chain under 60 parallel appends from 10 writers and 12 connections", async () => {
    const tenant = newTenant("race");
    const appended = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const log = logs[i % logs.length]!;
        const input = fieldWrite(tenant, { object_id: String(i) });
        // A third go through callers' own transactions, which bypass in-process grouping.
        return i % 3 === 0 ? test.db.transaction((tx) => log.append(input, { tx })) : log.append(input);
      }),
    );
    const { rows } = await test.db.query<{ seq: string; event_id: string; prev_hash: string; hash: string }>(
      "SELECT seq, event_id, prev_hash, hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq",
      [tenant],
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    rows.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash));
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(appended.map((e) => e.event_id)));
    expect(await logs[0]!.verify(tenant)).toEqual({ ok: true, checked: 60, firstBroken: null });
    const head = await test.db.query("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", [tenant]);
    expect(head.rows).toEqual([{ seq: "60", hash: rows[59]!.hash }]);
  });

  it("keeps tenants apart under parallel appends to both, starting from no head at all", async () => {
    const tenants = [newTenant("x"), newTenant("y")];
    await Promise.all(Array.from({ length: 40 }, (_, i) => logs[i % logs.length]!.append(fieldWrite(tenants[i % 2]!))));
    for (const tenant of tenants)
      expect(await logs[1]!.verify(tenant)).toEqual({ ok: true, checked: 20, firstBroken: null });
  });

  it("groups a burst of appends from one writer into few statements, each caller getting its own event", async () => {
    const tenant = newTenant("burst");
    const events = await Promise.all(
      Array.from({ length: 25 }, (_, i) => logs[0]!.append(fieldWrite(tenant, { object_id: `b${i}` }))),
    );
    expect(events.map((e) => e.object_id)).toEqual(Array.from({ length: 25 }, (_, i) => `b${i}`));
    expect(await logs[0]!.verify(tenant)).toEqual({ ok: true, checked: 25, firstBroken: null });
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUDIT_RETENTION_ACTION,
  createAuditLog,
  createRetentionSchedule,
  deriveCheckpointKey,
  verifyArchive,
  type AuditLog,
} from "../../src/audit/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { fieldWrite, newTenant, tamper, TEST_ENCRYPTION_KEY } from "./support.js";

// Issue 9, finding 11 (retention): old events leave the database only into a signed archive,
// behind a signed tombstone; verify() still walks the chain end to end, and a database owner
// who removes, forges or edits around the tombstone is caught.

const DAY = 86_400_000;
const key = deriveCheckpointKey(TEST_ENCRYPTION_KEY);
let t: TestDatabase;
let audit: AuditLog;
let dir: string;
let clock = new Date("2026-01-01T00:00:00Z");

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db, { signingSeed: key.seed, now: () => clock, pageSize: 3 });
  dir = mkdtempSync(join(tmpdir(), "tollgate-retention-"));
});
afterAll(async () => {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** n events a day apart from the clock, leaving the clock after them. */
async function appendDays(tenant: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await audit.append(fieldWrite(tenant));
    clock = new Date(clock.getTime() + DAY);
  }
}

const schedule = (days: number) =>
  createRetentionSchedule({ audit, db: t.db, dir, retentionDaysOf: () => days, now: () => clock });

async function stored(tenant: string): Promise<number[]> {
  const { rows } = await t.db.query<{ seq: string }>("SELECT seq FROM audit_events WHERE tenant_id = $1 ORDER BY seq", [
    tenant,
  ]);
  return rows.map((r) => Number(r.seq));
}

describe("retention: archive, tombstone, remove", () => {
  it("archives events older than retention_days to a signed JSONL file and the chain still verifies end to end", async () => {
    const tenant = newTenant("ret");
    await appendDays(tenant, 10);
    const [result] = (await schedule(5).runOnce()).filter((r) => r.tenantId === tenant);
    // Events 1–5 were recorded more than 5 days before the clock.
    expect(result).toMatchObject({ removed: 5, tombstone: { from_seq: 1, through_seq: 5, events: 5 } });
    expect(await stored(tenant)).toEqual([6, 7, 8, 9, 10, 11]);
    const [head] = (await audit.query({ tenantId: tenant, limit: 1 })).events;
    expect(head).toMatchObject({ action: AUDIT_RETENTION_ACTION, evidence: { tombstone: result!.tombstone } });
    expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 6, firstBroken: null });

    // The archive and its signed manifest check out with the public key alone.
    const files = readdirSync(join(dir, tenant)).sort();
    expect(files).toEqual(["000000000001-000000000005.audit.json", "000000000001-000000000005.audit.jsonl"]);
    const manifest = JSON.parse(readFileSync(join(dir, tenant, files[0]!), "utf8"));
    const text = readFileSync(join(dir, tenant, files[1]!), "utf8");
    expect(verifyArchive(text, manifest.tombstone, manifest.publicKeyPem)).toEqual({
      ok: true,
      checked: 5,
      problem: null,
    });
    const edited = text.replace('"Fintech"', '"Banking"');
    expect(verifyArchive(edited, manifest.tombstone, manifest.publicKeyPem).problem).toMatch(/SHA-256/);

    // A later run chains on from the first tombstone, and nothing young is touched.
    clock = new Date(clock.getTime() + 3 * DAY);
    const [second] = (await schedule(5).runOnce()).filter((r) => r.tenantId === tenant);
    expect(second?.tombstone).toMatchObject({
      from_seq: 6,
      through_seq: 8,
      prev_hash: result!.tombstone!.through_hash,
    });
    expect(await stored(tenant)).toEqual([9, 10, 11, 12]);
    expect(await audit.verify(tenant)).toMatchObject({ ok: true });
    expect((await schedule(5).runOnce()).find((r) => r.tenantId === tenant)?.removed).toBe(0);
  });

  it("a dry run names the range and removes nothing", async () => {
    const tenant = newTenant("dry");
    await appendDays(tenant, 4);
    const [r] = await schedule(2).runOnce({ tenantId: tenant, dryRun: true });
    expect(r).toMatchObject({ removed: 0, wouldArchive: { fromSeq: 1, throughSeq: 2 } });
    expect(await stored(tenant)).toEqual([1, 2, 3, 4]);
  });
});

describe("a database owner working around retention is caught", () => {
  async function retained(): Promise<string> {
    const tenant = newTenant("atk");
    await appendDays(tenant, 6);
    await schedule(3).runOnce({ tenantId: tenant });
    expect(await stored(tenant)).toEqual([4, 5, 6, 7]);
    return tenant;
  }

  it("deleting more events after the tombstone's range", async () => {
    const tenant = await retained();
    await tamper(t.db, "DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 4", [tenant]);
    expect((await audit.verify(tenant)).firstBroken?.reason).toMatch(/events 1–4 are missing and no tombstone/);
  });

  it("deleting old events with no tombstone at all", async () => {
    const tenant = newTenant("raw");
    await appendDays(tenant, 4);
    await tamper(t.db, "DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= 2", [tenant]);
    expect((await audit.verify(tenant)).firstBroken?.reason).toMatch(/events 1–2 are missing and no tombstone/);
  });

  it("a tombstone signed by another key (forged to cover a deletion)", async () => {
    const tenant = newTenant("forge");
    await appendDays(tenant, 6);
    const otherKey = deriveCheckpointKey("77".repeat(32));
    const forger = await createAuditLog(t.db, { signingSeed: otherKey.seed, now: () => clock });
    await forger.applyRetention({ tenantId: tenant, before: clock, dir, retentionDays: null });
    const result = await audit.verify(tenant);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.reason).toMatch(/tombstone of seq 1–6 is signed by an unknown key/);
  });

  it("a tombstone edited to claim a different range", async () => {
    const tenant = await retained();
    await tamper(
      t.db,
      `UPDATE audit_events SET event = jsonb_set(event, '{evidence,tombstone,events}', '1') WHERE tenant_id = $1 AND event->>'action' = $2`,
      [tenant, AUDIT_RETENTION_ACTION],
    );
    expect((await audit.verify(tenant)).ok).toBe(false);
  });

  it("editing an event after the tombstone, or before it in what is left", async () => {
    const tenant = await retained();
    await tamper(
      t.db,
      `UPDATE audit_events SET event = event || '{"reason":"nothing"}' WHERE tenant_id = $1 AND seq = 5`,
      [tenant],
    );
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, firstBroken: { reason: "hash mismatch" } });
  });

  it("the removal refuses a range the chain's head does not name as archived", async () => {
    const tenant = newTenant("norm");
    await appendDays(tenant, 3);
    const [{ hash }] = (
      await t.db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = 2", [tenant])
    ).rows as [{ hash: string }];
    await expect(t.db.query("SELECT audit_retention_remove($1, 2, $2)", [tenant, hash])).rejects.toThrow(
      /not the tombstone/,
    );
    expect(await stored(tenant)).toEqual([1, 2, 3]);
  });
});

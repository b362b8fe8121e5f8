import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, deriveCheckpointKey } from "../../src/audit/index.js";
import { createDatabase, grantRuntimeRole, type Database } from "../../src/db/index.js";
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

// Issue 9, finding 7: with DATABASE_MIGRATION_URL the server's own role can only read and
// append the audit. The attack: that role, with its real connection, tries every way to
// rewrite or hide history. The role and schema are this test's own.

let t: TestDatabase;
let role: string;
let runtime: Database;

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 2 });
  role = `${t.schema}_runtime`;
  await asSuperuser(`CREATE ROLE ${role} LOGIN`);
  await grantRuntimeRole(t.db, role);
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = "";
  runtime = await createDatabase({ url: url.toString(), schema: t.schema, poolSize: 2 });
});
afterAll(async () => {
  await runtime?.close();
  await t?.drop();
  await asSuperuser(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
});

describe("the runtime role cannot rewrite the audit (finding 7)", () => {
  it("appends and reads through the chain's functions, and does its other work", async () => {
    const audit = await createAuditLog(runtime);
    await audit.append({ tenant_id: "acme", actor: { type: "human", id: "ada" }, action: "policy_change" });
    await audit.append({ tenant_id: "acme", actor: { type: "agent", id: "bot" }, action: "field_write" });
    expect(await audit.verify("acme")).toMatchObject({ ok: true, checked: 2 });
    await runtime.query(
      "INSERT INTO kill_switches (tenant_id, scope_type, state, reason, actor_type, actor_id, set_at) VALUES ('acme', 'tenant', 'on', 'r', 'human', 'ada', now())",
    );
  });

  it.each([
    ["UPDATE an event", 'UPDATE audit_events SET event = event || \'{"reason":"nothing"}\''],
    ["DELETE events", "DELETE FROM audit_events WHERE tenant_id = 'acme'"],
    ["TRUNCATE the log", "TRUNCATE audit_events"],
    ["disable the append-only trigger", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"],
    ["disable every trigger", "ALTER TABLE audit_events DISABLE TRIGGER ALL"],
    ["drop the trigger", "DROP TRIGGER audit_events_append_only ON audit_events"],
    [
      "replace the refusing function",
      "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
    ],
    ["skip triggers for the session", "SET session_replication_role = replica"],
    ["ALTER the table", "ALTER TABLE audit_events ADD COLUMN note text"],
    [
      "write a row directly",
      "INSERT INTO audit_events (event_id, tenant_id, seq, occurred_at, recorded_at, event, prev_hash, hash) VALUES ('x', 'acme', 99, now(), now(), '{}', 'a', 'b')",
    ],
    ["move the chain head", "UPDATE audit_heads SET seq = 1"],
    [
      "call the raw insert",
      "SELECT audit_insert_event('acme', 3, 'a', 'b', '{\"tenant_id\":\"acme\",\"prev_hash\":\"a\"}')",
    ],
    ["delete a checkpoint", "DELETE FROM audit_checkpoints"],
    ["call the retention removal", "SELECT audit_retention_remove('acme', 1, 'x')"],
    [
      "delete with the retention flag set",
      "SELECT set_config('tollgate.audit_retention', 'on', false); DELETE FROM audit_events WHERE tenant_id = 'acme'",
    ],
    ["drop the table", "DROP TABLE audit_events"],
  ])("cannot %s", async (_, sql) => {
    await expect(runtime.query(sql)).rejects.toThrow(/permission denied|must be owner|append-only|insufficient/);
    const audit = await createAuditLog(runtime);
    expect(await audit.verify("acme")).toMatchObject({ ok: true, checked: 2 });
  });

  it("retention removes old events only through the schema owner, and the chain still verifies", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-runtime-retention-"));
    try {
      const key = deriveCheckpointKey("5e".repeat(32));
      const audit = await createAuditLog(runtime, { signingSeed: key.seed });
      await audit.append({ tenant_id: "old", actor: { type: "human", id: "ada" }, action: "policy_change" });
      const req = { tenantId: "old", before: new Date(Date.now() + 1000), dir, retentionDays: 1 };
      await expect(audit.applyRetention(req)).rejects.toThrow(/permission denied/);
      expect(await audit.verify("old")).toMatchObject({ ok: true, checked: 1 });
      expect(await audit.applyRetention(req, t.db)).toMatchObject({ removed: 1 });
      expect(await audit.verify("old")).toMatchObject({ ok: true, checked: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

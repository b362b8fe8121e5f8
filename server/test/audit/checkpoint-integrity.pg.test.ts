import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAuditLog,
  createCheckpointSchedule,
  deriveCheckpointKey,
  verifyCheckpoint,
  type AuditLog,
  type CheckpointSchedule,
} from "../../src/audit/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { fieldWrite, newTenant, tamper, TEST_ENCRYPTION_KEY } from "./support.js";

// Issue 9, finding 7: someone with the database owner's rights deletes a checkpoint or slips in
// one signed by a key Tollgate does not know. verify() must say so, naming it.

let t: TestDatabase;
let audit: AuditLog;
let schedule: CheckpointSchedule;
let dir: string;
const key = deriveCheckpointKey(TEST_ENCRYPTION_KEY);

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db, { signingSeed: key.seed });
  dir = mkdtempSync(join(tmpdir(), "tollgate-checkpoints-"));
  schedule = createCheckpointSchedule({ audit, db: t.db, dir, intervalMs: 60_000 });
});
afterAll(async () => {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function chainWithCheckpoint(): Promise<string> {
  const tenant = newTenant("cp");
  for (let i = 0; i < 3; i++) await audit.append(fieldWrite(tenant));
  const made = await schedule.runOnce();
  expect(made.map((c) => [c.tenant_id, c.seq])).toContainEqual([tenant, 3]);
  return tenant;
}

describe("scheduled checkpoints", () => {
  it("signs each moved chain, records the checkpoint in it, writes a file an outsider verifies, and skips still chains", async () => {
    const tenant = await chainWithCheckpoint();
    expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 4, firstBroken: null });
    const [file] = readdirSync(join(dir, tenant));
    const written = JSON.parse(readFileSync(join(dir, tenant, file!), "utf8"));
    expect(written.checkpoint).toMatchObject({ tenant_id: tenant, seq: 3, key_id: key.keyId });
    expect(verifyCheckpoint(written.checkpoint, written.publicKeyPem)).toBe(true);
    expect((await schedule.runOnce()).filter((c) => c.tenant_id === tenant)).toEqual([]);
  });
});

describe("verify() against a database owner (finding 7)", () => {
  it("names the event whose recorded checkpoint was deleted", async () => {
    const tenant = await chainWithCheckpoint();
    await tamper(t.db, "DELETE FROM audit_checkpoints WHERE tenant_id = $1", [tenant]);
    const result = await audit.verify(tenant);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.reason).toBe("the signed checkpoint at seq 3 this event records is missing");
    const recorder = (await audit.query({ tenantId: tenant, limit: 1 })).events[0]!;
    expect(recorder.action).toBe("audit_checkpoint");
    expect(result.firstBroken?.eventId).toBe(recorder.event_id);
  });

  it("refuses a checkpoint signed by an unknown key, and one it has no key to check", async () => {
    const tenant = newTenant("forged");
    await audit.append(fieldWrite(tenant));
    const forger = await createAuditLog(t.db, { signingSeed: deriveCheckpointKey("33".repeat(32)).seed });
    const forged = await forger.checkpoint(tenant);
    expect(await audit.verify(tenant)).toEqual({
      ok: false,
      checked: 0,
      firstBroken: { eventId: "", reason: `checkpoint at seq 1 is signed by an unknown key ${forged.key_id}` },
    });
    const keyless = await createAuditLog(t.db);
    expect((await keyless.verify(tenant)).firstBroken?.reason).toMatch(/no checkpoint key is configured/);
  });
});

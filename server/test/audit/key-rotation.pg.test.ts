import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivePermitSecret, readPermitSignedByAny, signPermit, type PermitClaims } from "../../src/actions/index.js";
import { createAuditLog, deriveCheckpointKey } from "../../src/audit/index.js";
import { loadConfig } from "../../src/config/index.js";
import { createTokenCipher } from "../../src/install/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { fieldWrite, newTenant, TEST_ENCRYPTION_KEY } from "./support.js";

// Rotating TOLLGATE_ENCRYPTION_KEY: what the old key signed must still verify once it is named in
// TOLLGATE_ENCRYPTION_KEY_PREVIOUS, and nothing new may be signed with it. Without it, verify
// fails and says which key it does not know.

const KEY_A = TEST_ENCRYPTION_KEY;
const KEY_B = randomBytes(32).toString("hex");
const a = deriveCheckpointKey(KEY_A);
const b = deriveCheckpointKey(KEY_B);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe("key rotation (TOLLGATE_ENCRYPTION_KEY_PREVIOUS)", () => {
  it("a chain checkpointed under key A verifies under B only while A is a previous key; new checkpoints use B", async () => {
    const tenant = newTenant("rotate");
    const underA = await createAuditLog(t.db, { signingSeed: a.seed });
    for (let i = 0; i < 3; i++) await underA.append(fieldWrite(tenant));
    await underA.checkpoint(tenant, { record: true });
    expect(await underA.verify(tenant)).toMatchObject({ ok: true });

    // Rotated, A kept as previous: the old checkpoint still vouches; the next is signed with B.
    const rotated = await createAuditLog(t.db, { signingSeed: b.seed, previousSigningSeeds: [a.seed] });
    expect(await rotated.verify(tenant)).toMatchObject({ ok: true });
    await rotated.append(fieldWrite(tenant));
    const next = await rotated.checkpoint(tenant, { record: true });
    expect(next.key_id).toBe(b.keyId);
    expect(await rotated.verify(tenant)).toMatchObject({ ok: true });

    // Rotated without naming A: the checkpoint A signed is refused, naming A's key id.
    const forgetful = await createAuditLog(t.db, { signingSeed: b.seed });
    expect(await forgetful.verify(tenant)).toEqual({
      ok: false,
      checked: 0,
      firstBroken: { eventId: "", reason: `checkpoint at seq 3 is signed by an unknown key ${a.keyId}` },
    });
    // A previous key is trusted to verify, never to sign: a checkpoint claiming another key still fails.
    const stranger = deriveCheckpointKey(randomBytes(32).toString("hex"));
    const unrelated = await createAuditLog(t.db, { signingSeed: b.seed, previousSigningSeeds: [stranger.seed] });
    expect((await unrelated.verify(tenant)).firstBroken?.reason).toContain(a.keyId);
  });

  it("permits and stored tokens made under A still verify and open after rotating to B with A as previous", () => {
    const claims: PermitClaims = {
      permitId: "p1",
      tenantId: "t1",
      agentId: "outreach-bot",
      action: "send_email",
      objectType: "contacts",
      objectId: "101",
      digest: "d".repeat(64),
      eventId: "e1",
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const secret = (hex: string) => derivePermitSecret(Buffer.from(hex, "hex"));
    const token = signPermit(secret(KEY_A), claims);
    // The verifier's rule: the current key, then the previous ones.
    expect(readPermitSignedByAny([secret(KEY_B), secret(KEY_A)], token)).toEqual(claims);
    expect(readPermitSignedByAny([secret(KEY_B)], token)).toBeUndefined();

    const sealed = createTokenCipher({ key: KEY_A }).encrypt("access-token", "t1:access");
    const cipher = createTokenCipher({ key: KEY_B, previousKeys: [KEY_A] });
    expect(cipher.decrypt(sealed, "t1:access")).toBe("access-token");
    expect(cipher.isStale(sealed)).toBe(true);
    expect(() => createTokenCipher({ key: KEY_B }).decrypt(sealed, "t1:access")).toThrow();
  });

  it("reads TOLLGATE_ENCRYPTION_KEY_PREVIOUS as a comma-separated list, and refuses a bad one", () => {
    const config = loadConfig({
      TOLLGATE_ENCRYPTION_KEY: KEY_B,
      TOLLGATE_ENCRYPTION_KEY_PREVIOUS: `${KEY_A}, ${"c".repeat(64)}`,
    });
    expect(config.previousEncryptionKeys.map((k) => k.toString("hex"))).toEqual([KEY_A, "c".repeat(64)]);
    expect(loadConfig({ TOLLGATE_ENCRYPTION_KEY: KEY_B }).previousEncryptionKeys).toEqual([]);
    expect(() => loadConfig({ TOLLGATE_ENCRYPTION_KEY: KEY_B, TOLLGATE_ENCRYPTION_KEY_PREVIOUS: "nope" })).toThrow(
      /TOLLGATE_ENCRYPTION_KEY_PREVIOUS/,
    );
    expect(() => loadConfig({ TOLLGATE_ENCRYPTION_KEY_PREVIOUS: KEY_A })).toThrow(/set TOLLGATE_ENCRYPTION_KEY too/);
  });
});

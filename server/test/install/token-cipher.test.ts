import { describe, expect, it } from "vitest";
import { createTokenCipher, TokenDecryptError } from "../../src/install/index.js";
import { ConfigError } from "../../src/errors/index.js";
import {
  TEST_ENCRYPTION_KEY,
  TEST_PREVIOUS_ENCRYPTION_KEY,
  TEST_WRONG_ENCRYPTION_KEY,
} from "../../../test/fixtures/install/oauth.js";

const TOKEN = "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4";

function decryptError(fn: () => unknown): TokenDecryptError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TokenDecryptError);
    return err as TokenDecryptError;
  }
  throw new Error("expected decrypt to throw");
}

describe("createTokenCipher", () => {
  const cipher = createTokenCipher({ key: TEST_ENCRYPTION_KEY });

  it("round-trips a token and never shows it in the ciphertext", () => {
    const sealed = cipher.encrypt(TOKEN, "123:access");
    expect(sealed).not.toContain(TOKEN);
    expect(sealed.startsWith(`tg1:${cipher.keyId}:`)).toBe(true);
    expect(cipher.decrypt(sealed, "123:access")).toBe(TOKEN);
  });

  it("uses a fresh IV each time, so equal tokens give different ciphertexts", () => {
    const a = cipher.encrypt(TOKEN);
    const b = cipher.encrypt(TOKEN);
    expect(a).not.toBe(b);
    expect(a.split(":")[2]).not.toBe(b.split(":")[2]);
    expect(Buffer.from(a.split(":")[2]!, "base64url")).toHaveLength(12);
  });

  it("accepts the key as a 32-byte Buffer with the same id as its hex form", () => {
    const fromBuffer = createTokenCipher({ key: Buffer.from(TEST_ENCRYPTION_KEY, "hex") });
    expect(fromBuffer.keyId).toBe(cipher.keyId);
    expect(fromBuffer.decrypt(cipher.encrypt(TOKEN))).toBe(TOKEN);
  });

  it("detects a flipped bit in the ciphertext, the tag or the IV", () => {
    const sealed = cipher.encrypt(TOKEN, "ctx");
    const parts = sealed.split(":");
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0] = bytes[0]! ^ 0x01;
      const altered = [...parts];
      altered[index] = bytes.toString("base64url");
      const err = decryptError(() => cipher.decrypt(altered.join(":"), "ctx"));
      expect(err.code).toBe("token_decrypt_failed");
      expect(err.details).toEqual({ reason: "tampered" });
      expect(err.message).not.toContain(TOKEN);
    }
  });

  it("refuses a ciphertext moved to another context (tenant or column)", () => {
    const sealed = cipher.encrypt(TOKEN, "123:access");
    expect(decryptError(() => cipher.decrypt(sealed, "456:access")).details).toEqual({ reason: "tampered" });
    expect(decryptError(() => cipher.decrypt(sealed, "123:refresh")).details).toEqual({ reason: "tampered" });
  });

  it("names the missing key when the ciphertext was sealed with another key", () => {
    const other = createTokenCipher({ key: TEST_WRONG_ENCRYPTION_KEY });
    const err = decryptError(() => other.decrypt(cipher.encrypt(TOKEN)));
    expect(err.details).toEqual({ reason: "unknown_key" });
    expect(err.message).toContain(cipher.keyId);
  });

  it("fails authentication when a wrong key claims the right key id", () => {
    const sealed = cipher.encrypt(TOKEN);
    const other = createTokenCipher({ key: TEST_WRONG_ENCRYPTION_KEY });
    const forged = sealed.replace(`:${cipher.keyId}:`, `:${other.keyId}:`);
    expect(decryptError(() => other.decrypt(forged)).details).toEqual({ reason: "tampered" });
  });

  it("rotates: a previous key still opens old tokens, which are reported stale", () => {
    const old = createTokenCipher({ key: TEST_PREVIOUS_ENCRYPTION_KEY });
    const sealedOld = old.encrypt(TOKEN, "t");
    const rotated = createTokenCipher({ key: TEST_ENCRYPTION_KEY, previousKeys: [TEST_PREVIOUS_ENCRYPTION_KEY] });
    expect(rotated.decrypt(sealedOld, "t")).toBe(TOKEN);
    expect(rotated.isStale(sealedOld)).toBe(true);
    const sealedNew = rotated.encrypt(TOKEN, "t");
    expect(rotated.isStale(sealedNew)).toBe(false);
    expect(sealedNew.split(":")[1]).toBe(cipher.keyId);
  });

  it("rejects malformed ciphertexts clearly", () => {
    for (const bad of ["", TOKEN, "tg1:abc", "tg2:a:b:c:d", "tg1:k:!!:@@:##"]) {
      expect(decryptError(() => cipher.decrypt(bad)).details).toEqual({ reason: "malformed" });
    }
  });

  it("rejects keys that are not 32 bytes as 64 hex characters", () => {
    for (const key of ["abc", "zz".repeat(32), TEST_ENCRYPTION_KEY.slice(2)]) {
      expect(() => createTokenCipher({ key })).toThrow(ConfigError);
    }
    expect(() => createTokenCipher({ key: Buffer.alloc(16) })).toThrow(/TOLLGATE_ENCRYPTION_KEY/);
  });
});

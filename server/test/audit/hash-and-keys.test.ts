import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../shared/index.js";
import {
  computeEventHash,
  deriveCheckpointKey,
  GENESIS_HASH,
  isSecretKey,
  verifyCheckpoint,
} from "../../src/audit/index.js";
import { canonicalText } from "../../src/audit/canonical-text.js";
import { splitAroundPrevHash } from "../../src/audit/compute-event-hash.js";
import { newEventId } from "../../src/audit/new-event-id.js";
import { toStoredJson } from "../../src/audit/to-stored-json.js";
import { signCheckpoint } from "../../src/audit/sign-checkpoint.js";
import { ValidationError } from "../../src/errors/index.js";
import { TEST_ENCRYPTION_KEY } from "./support.js";

describe("computeEventHash", () => {
  it("is sha256 over prev_hash as hex text followed by the canonical JSON of everything but hash", () => {
    const event = {
      tenant_id: "t",
      prev_hash: GENESIS_HASH,
      action: "x",
      evidence: { b: 1, a: [true, null] },
      hash: "ignored",
    };
    const expected = createHash("sha256")
      .update(
        `${GENESIS_HASH}{"action":"x","evidence":{"a":[true,null],"b":1},"prev_hash":"${GENESIS_HASH}","tenant_id":"t"}`,
        "utf8",
      )
      .digest("hex");
    expect(computeEventHash(GENESIS_HASH, event)).toBe(expected);
    expect(computeEventHash(GENESIS_HASH, { ...event, hash: "other" })).toBe(expected);
    expect(computeEventHash("1".repeat(64), event)).not.toBe(expected);
  });
});

describe("splitAroundPrevHash", () => {
  it.each<[string, Record<string, unknown>]>([
    ["keys on both sides", { action: "a", zeta: { y: 1, x: "é" }, tenant_id: "t" }],
    ["keys only before", { action: "a", event_id: "e" }],
    ["keys only after", { tenant_id: "t", reason: "r" }],
    ["no other keys", {}],
    ["keys that sort near prev_hash", { prev: 1, prev_hasi: 2, prev_hash_x: 3, "prev_hash\u0000": 4, prev_hashes: 5 }],
  ])("joins with any prev_hash into exactly the canonical JSON (%s)", (_name, body) => {
    const prev = createHash("sha256").update(_name).digest("hex");
    const { head, tail } = splitAroundPrevHash(body);
    expect(head + prev + tail).toBe(canonicalJson({ ...body, prev_hash: prev }));
  });
});

describe("isSecretKey", () => {
  it.each([
    "token",
    "access_token",
    "refreshToken",
    "client_secret",
    "password",
    "Authorization",
    "api_key",
    "apiKey",
    "X-Api-Key",
    "private_key",
    "Cookie",
  ])("treats %s as secret", (key) => expect(isSecretKey(key)).toBe(true));
  it.each(["prompt_tokens", "prompt_hash", "key", "monkey", "author", "tokenizer_version", "object_id"])(
    "leaves %s alone",
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe("toStoredJson", () => {
  it("gives plain JSON the database can hold, with secrets redacted", () => {
    expect(
      toStoredJson({ at: new Date(0), gone: undefined, zero: -0, text: "a\u0000b\ud800", nested: [{ apiKey: "k" }] }),
    ).toEqual({
      at: "1970-01-01T00:00:00.000Z",
      zero: 0,
      text: "a\ufffdb\ufffd",
      nested: [{ apiKey: "[redacted]" }],
    });
    expect(() => toStoredJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toStoredJson(cyclic)).toThrow(/nesting/);
  });
});

describe("newEventId", () => {
  it("is a version 7 UUID whose leading bits are the time, so ids sort by creation", () => {
    const id = newEventId(new Date("2026-01-02T03:04:05.678Z"));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.parse("2026-01-02T03:04:05.678Z"));
    expect(newEventId(new Date(1000)) < newEventId(new Date(2000))).toBe(true);
  });
});

describe("deriveCheckpointKey", () => {
  it("derives the same Ed25519 key from the same encryption key, and a different one otherwise", () => {
    const a = deriveCheckpointKey(TEST_ENCRYPTION_KEY);
    const b = deriveCheckpointKey(TEST_ENCRYPTION_KEY.toUpperCase());
    const c = deriveCheckpointKey("00".repeat(32));
    expect(a.publicKeyPem).toBe(b.publicKeyPem);
    expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(a.keyId).toBe(
      createHash("sha256")
        .update(a.publicKey.export({ format: "der", type: "spki" }))
        .digest("hex")
        .slice(0, 16),
    );
    expect(c.keyId).not.toBe(a.keyId);
    // The seed is not the encryption key itself: HKDF separates the two uses.
    expect(a.seed.toString("hex")).not.toBe(TEST_ENCRYPTION_KEY);
  });

  it("refuses an encryption key that is not 64 hex characters", () => {
    expect(() => deriveCheckpointKey("abc")).toThrow(ValidationError);
  });

  it("signs checkpoints that verify with the public key alone", () => {
    const key = deriveCheckpointKey(TEST_ENCRYPTION_KEY);
    const cp = signCheckpoint({ tenant_id: "t", seq: 3, hash: "f".repeat(64), at: "2026-01-01T00:00:00.000Z" }, key);
    expect(verifyCheckpoint(cp, key.publicKeyPem)).toBe(true);
    expect(verifyCheckpoint({ ...cp, at: "2026-01-01T00:00:00.001Z" }, key.publicKeyPem)).toBe(false);
    expect(() => verifyCheckpoint(cp, "not a key")).toThrow(ValidationError);
  });
});

describe("canonicalText", () => {
  it.each<[string, unknown]>([
    ["keys out of order, nested", { b: { y: [1, { d: null, c: true }], x: "é" }, a: -0, "": "empty" }],
    ["integer-like keys, which objects keep first", { "10": 1, "9": 2, a: 3, "-1": 4, "01": 5 }],
    ["undefined members and array holes", { a: undefined, b: [undefined, 1], c: new Date(0) }],
    ["escapes and astral characters", { 'q"k': "line\nbreak \u2028 😀 \\", n: 1e21, f: 0.1 }],
    ["scalars", "just a string"],
  ])("gives exactly canonicalJson's bytes (%s)", (_name, value) => {
    expect(canonicalText(value)).toBe(canonicalJson(value));
  });

  it("refuses what canonical JSON cannot hold", () => {
    expect(() => canonicalText({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalText({ f: () => 1 })).toThrow(TypeError);
  });
});

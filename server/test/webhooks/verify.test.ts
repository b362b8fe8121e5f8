import { createHash, createHmac } from "node:crypto";
import { Signature } from "@hubspot/api-client";
import { describe, expect, it } from "vitest";
import { decodeHubSpotUri, signHubSpotV3, verifyHubSpotSignatureV3 } from "../../src/webhooks/index.js";
import {
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
  HUBSPOT_V1_VECTOR,
  readHubSpotFixture,
} from "../../../test/fixtures/index.js";

const secret = HUBSPOT_TEST_CLIENT_SECRET;
const url = `${HUBSPOT_TEST_PUBLIC_URL}/webhooks/hubspot`;
const { raw } = readHubSpotFixture("contact.propertyChange.agent-write.json");
const now = 1_763_650_000_000;

/** HubSpot's v3 recipe written out independently of the code under test. */
const hubspotV3 = (key: string, method: string, uri: string, body: string, ts: number) =>
  createHmac("sha256", key)
    .update(method + uri + body + String(ts), "utf8")
    .digest("base64");

const input = (over: Partial<Parameters<typeof verifyHubSpotSignatureV3>[0]> = {}) => ({
  clientSecret: secret,
  method: "POST",
  publicUrl: url,
  rawBody: raw,
  signature: hubspotV3(secret, "POST", url, raw.toString("utf8"), now - 1000),
  timestamp: String(now - 1000),
  now,
  ...over,
});

describe("verifyHubSpotSignatureV3", () => {
  it("accepts a valid v3 signature over the raw bytes", () => {
    expect(verifyHubSpotSignatureV3(input())).toEqual({ ok: true });
  });

  it("agrees with signHubSpotV3, the helper tests and the sandbox sign with", () => {
    const signature = signHubSpotV3({ clientSecret: secret, publicUrl: url, rawBody: raw, timestamp: now });
    expect(signature).toBe(hubspotV3(secret, "POST", url, raw.toString("utf8"), now));
    expect(verifyHubSpotSignatureV3(input({ signature, timestamp: String(now) }))).toEqual({ ok: true });
  });

  it("refuses a signature that is not the right one", () => {
    const good = input().signature;
    const flipped = (good[0] === "A" ? "B" : "A") + good.slice(1);
    expect(verifyHubSpotSignatureV3(input({ signature: flipped }))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyHubSpotSignatureV3(input({ signature: "short" }))).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses an altered body (one byte)", () => {
    const altered = Buffer.from(raw.toString("utf8").replace("Fintech", "Fintecg"), "utf8");
    expect(altered.equals(raw)).toBe(false);
    expect(verifyHubSpotSignatureV3(input({ rawBody: altered }))).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a body signed with another secret", () => {
    const signature = hubspotV3("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "POST", url, raw.toString("utf8"), now - 1000);
    expect(verifyHubSpotSignatureV3(input({ signature }))).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses another method or URL than the one signed", () => {
    expect(verifyHubSpotSignatureV3(input({ method: "PUT" }))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyHubSpotSignatureV3(input({ publicUrl: `${url}?x=1` }))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses a timestamp older than 5 minutes, and accepts one just inside", () => {
    const ts = now - 300_001;
    const signature = hubspotV3(secret, "POST", url, raw.toString("utf8"), ts);
    expect(verifyHubSpotSignatureV3(input({ signature, timestamp: String(ts) }))).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    const inside = now - 299_000;
    const fresh = hubspotV3(secret, "POST", url, raw.toString("utf8"), inside);
    expect(verifyHubSpotSignatureV3(input({ signature: fresh, timestamp: String(inside) }))).toEqual({ ok: true });
  });

  it("refuses a timestamp more than 5 minutes in the future (the SDK's isValid lets it through)", () => {
    const ts = now + 300_001;
    const signature = hubspotV3(secret, "POST", url, raw.toString("utf8"), ts);
    expect(verifyHubSpotSignatureV3(input({ signature, timestamp: String(ts) }))).toEqual({
      ok: false,
      reason: "future_timestamp",
    });
  });

  it("reports missing or unusable headers", () => {
    expect(verifyHubSpotSignatureV3(input({ signature: undefined }))).toEqual({
      ok: false,
      reason: "missing_signature",
    });
    expect(verifyHubSpotSignatureV3(input({ signature: "  " }))).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyHubSpotSignatureV3(input({ timestamp: undefined }))).toEqual({
      ok: false,
      reason: "missing_timestamp",
    });
    expect(verifyHubSpotSignatureV3(input({ timestamp: "soon" }))).toEqual({ ok: false, reason: "missing_timestamp" });
  });

  it("refuses a body that is not UTF-8 instead of decoding it leniently", () => {
    const body = Buffer.from([0x5b, 0xff, 0x5d]);
    const signature = hubspotV3(secret, "POST", url, body.toString("utf8"), now);
    expect(verifyHubSpotSignatureV3(input({ rawBody: body, signature, timestamp: String(now) }))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  describe("same MAC as the SDK's Signature.getSignature (verify.ts hashes the raw bytes instead)", () => {
    // Deterministic generator, so a failure names an input that can be reproduced.
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const pieces = [
      "a",
      "Z",
      "0",
      " ",
      '"',
      "\\",
      "{",
      "}",
      "é",
      "ß",
      "€",
      "日本",
      "😀",
      "\u{10FFFF}",
      "\uFEFF",
      "\n",
      "\u0000",
      "%3A",
      "%20",
    ];
    const text = (max: number) => Array.from({ length: rand(max) }, () => pieces[rand(pieces.length)]).join("");
    const methods = ["POST", "post", "Put", "GET", "pAtCh"];
    const urls = [url, `${url}?a=%3A%2F%3f&b=%20%25&c=${text(8)}`, `${HUBSPOT_TEST_PUBLIC_URL}/x%40y%21/${text(6)}`];
    const sdk = (method: string, uri: string, body: string, ts: number) =>
      Signature.getSignature(method.toUpperCase(), "v3", {
        clientSecret: secret,
        url: decodeHubSpotUri(uri),
        requestBody: body,
        timestamp: ts,
        signature: "",
      });

    it("on 500 generated methods, URLs, UTF-8 bodies and timestamps", () => {
      for (let i = 0; i < 500; i++) {
        const method = methods[rand(methods.length)]!;
        const publicUrl = urls[rand(urls.length)]!;
        const body = (rand(4) === 0 ? "\uFEFF" : "") + text(200);
        const ts = now - 299_000 + rand(598_000);
        const expected = sdk(method, publicUrl, body, ts);
        const rawBody = Buffer.from(body, "utf8");
        expect(signHubSpotV3({ clientSecret: secret, method, publicUrl, rawBody, timestamp: ts })).toBe(expected);
        expect(signHubSpotV3({ clientSecret: secret, method, publicUrl, rawBody: body, timestamp: ts })).toBe(expected);
        expect(
          verifyHubSpotSignatureV3({
            clientSecret: secret,
            method,
            publicUrl,
            rawBody,
            signature: expected,
            timestamp: String(ts),
            now,
          }),
        ).toEqual({ ok: true });
      }
    });

    it("on the fixtures' bytes", () => {
      const signature = sdk("POST", url, raw.toString("utf8"), now);
      expect(verifyHubSpotSignatureV3(input({ signature, timestamp: String(now) }))).toEqual({ ok: true });
    });

    it("signHubSpotV3 refuses to sign bytes that are not UTF-8", () => {
      expect(() =>
        signHubSpotV3({
          clientSecret: secret,
          publicUrl: url,
          rawBody: Buffer.from([0x5b, 0xc3, 0x5d]),
          timestamp: now,
        }),
      ).toThrow(TypeError);
    });
  });

  describe("URI decoding (v3 step 2)", () => {
    const encoded = `${HUBSPOT_TEST_PUBLIC_URL}/webhooks/hubspot?next=https%3A%2F%2Fa.example%2Fx%40y%21%24%27%28%29%2A%2C%3B%3F&name=a%20b%25`;
    // What HubSpot signs: the twelve escapes decoded, %20 and %25 left alone.
    const decoded = `${HUBSPOT_TEST_PUBLIC_URL}/webhooks/hubspot?next=https://a.example/x@y!$'()*,;?&name=a%20b%25`;

    it("decodes exactly HubSpot's list", () => {
      expect(decodeHubSpotUri(encoded)).toBe(decoded);
      expect(decodeHubSpotUri("/a%3a%2f")).toBe("/a:/");
    });

    it("accepts a signature HubSpot computed over the decoded URI", () => {
      const signature = hubspotV3(secret, "POST", decoded, raw.toString("utf8"), now);
      expect(verifyHubSpotSignatureV3(input({ publicUrl: encoded, signature, timestamp: String(now) }))).toEqual({
        ok: true,
      });
    });

    it("does not accept a signature over the undecoded URI, nor over a fully decoded one", () => {
      const overEncoded = hubspotV3(secret, "POST", encoded, raw.toString("utf8"), now);
      expect(
        verifyHubSpotSignatureV3(input({ publicUrl: encoded, signature: overEncoded, timestamp: String(now) })),
      ).toEqual({ ok: false, reason: "bad_signature" });
      const overAll = hubspotV3(secret, "POST", decodeURIComponent(encoded), raw.toString("utf8"), now);
      expect(
        verifyHubSpotSignatureV3(input({ publicUrl: encoded, signature: overAll, timestamp: String(now) })),
      ).toEqual({ ok: false, reason: "bad_signature" });
    });
  });
});

describe("HubSpot's documented test vectors", () => {
  it("v1: the contact.creation fixture is the documented body, byte for byte", () => {
    const { raw: body } = readHubSpotFixture(HUBSPOT_V1_VECTOR.fixture);
    expect(
      createHash("sha256")
        .update(secret + body.toString("utf8"))
        .digest("hex"),
    ).toBe(HUBSPOT_V1_VECTOR.signature);
    expect(
      Signature.getSignature("POST", "v1", { clientSecret: secret, requestBody: body.toString("utf8"), signature: "" }),
    ).toBe(HUBSPOT_V1_VECTOR.signature);
  });

  it("v2: the SDK helper reproduces both documented hashes", () => {
    const get = Signature.getSignature("GET", "v2", {
      clientSecret: secret,
      url: "https://www.example.com/webhook_uri",
      requestBody: "",
      signature: "",
    });
    expect(get).toBe("eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e");
    const post = Signature.getSignature("POST", "v2", {
      clientSecret: secret,
      url: "https://www.example.com/webhook_uri",
      requestBody: '{"example_field":"example_value"}',
      signature: "",
    });
    expect(post).toBe("9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900");
  });
});

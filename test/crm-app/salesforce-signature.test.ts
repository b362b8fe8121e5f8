/**
 * The Salesforce card-request signature (docs/contracts.md, "Salesforce card requests") has two
 * implementations that never meet: Apex signs on Salesforce's servers, Tollgate verifies. Both are
 * held to the same vectors — the static resource the Apex test `TollgateSignatureTest` reads —
 * whose expected values were computed independently of either (Python's hmac).
 */
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readSalesforceSignatureVectors } from "../fixtures/index.js";
import {
  formatSalesforceCardSignature,
  getSalesforceCardSigningBytes,
  parseSalesforceCardSignature,
  signSalesforceCardRequest,
} from "../../shared/index.js";

const vectors = await readSalesforceSignatureVectors();

describe("Salesforce card-request signature vectors", () => {
  it("cover GET (context header as body, with and without a query) and POST (non-ASCII, each route)", () => {
    expect(vectors.map((v) => `${v.method} ${v.path.split("?")[0]!.split("/").slice(-1)[0]}`)).toEqual([
      "GET approvals",
      "GET provenance",
      "POST approve",
      "POST reject",
      "POST batch",
    ]);
    expect(vectors.some((v) => v.path.includes("?"))).toBe(true);
    expect(vectors.some((v) => Buffer.byteLength(v.body, "utf8") > v.body.length)).toBe(true);
  });

  for (const v of vectors) {
    it(`${v.name}: signed bytes, v1 and header match`, () => {
      const parts = { timestamp: v.timestamp, method: v.method, path: v.path, body: v.body };
      expect(getSalesforceCardSigningBytes(parts).toString("utf8")).toBe(v.signed);
      expect(signSalesforceCardRequest(v.secret, parts)).toBe(v.v1);
      expect(formatSalesforceCardSignature(v.secret, parts)).toBe(v.header);
      expect(parseSalesforceCardSignature(v.header)).toEqual({ timestamp: v.timestamp, v1: v.v1 });
    });
  }

  it("the docs/contracts.md example is the first vector, byte for byte", async () => {
    const docs = await readFile("docs/contracts.md", "utf8");
    expect(docs).toContain(`\`signed = ${vectors[0]!.signed}\``);
  });

  it("signs the body's bytes: the same text as Latin-1 bytes, a lower-case method or another secret differ", () => {
    const v = vectors.find((x) => x.path.endsWith("/approve"))!;
    const parts = { timestamp: v.timestamp, method: v.method, path: v.path, body: v.body };
    expect(signSalesforceCardRequest(v.secret, { ...parts, body: Buffer.from(v.body, "latin1") })).not.toBe(v.v1);
    expect(signSalesforceCardRequest(v.secret, { ...parts, method: "post" })).toBe(v.v1);
    expect(signSalesforceCardRequest(`${v.secret}x`, parts)).not.toBe(v.v1);
    const lowerBytes = createHmac("sha256", v.secret).update(`${v.timestamp}.post${v.path}.${v.body}`).digest("base64");
    expect(lowerBytes).not.toBe(v.v1);
  });

  it("refuses malformed headers instead of guessing", () => {
    for (const bad of ["", "t=1", "v1=abc", "t=abc,v1=x", "t=1,t=2,v1=x", "t=1,v1=", "garbage", "t=1;v1=x"]) {
      expect(parseSalesforceCardSignature(bad), bad).toBeUndefined();
    }
    expect(parseSalesforceCardSignature("t=1, v1=abc=, v2=zzz")).toEqual({ timestamp: "1", v1: "abc=" });
  });
});

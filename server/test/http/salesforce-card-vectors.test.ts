/**
 * Tollgate's verification of Salesforce card requests against the vectors the Apex test
 * `TollgateSignatureTest` signs to (docs/contracts.md, "Salesforce card requests"): a request the
 * Apex controller builds from a vector is accepted, with the acting user of its signed JSON, and
 * the same request with any signed part changed is refused. The Apex signer, the TypeScript
 * signer (test/crm-app/salesforce-signature.test.ts) and this verifier meet at one file.
 */
import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { readSalesforceSignatureVectors, type SalesforceSignatureVector } from "../../../test/fixtures/index.js";
import { verifySalesforceCardRequest } from "../../src/http/salesforce-card-auth.js";

type Vector = SalesforceSignatureVector;

const vectors = await readSalesforceSignatureVectors();

/** The request as express hands it over after the Named Credential delivered it. */
function requestOf(v: Vector, change: Partial<Vector> = {}): Request {
  const r = { ...v, ...change };
  const headers: Record<string, string> = { "x-tollgate-signature": v.header };
  if (r.method === "GET") headers["x-tollgate-context"] = r.body;
  return {
    method: r.method,
    originalUrl: r.path,
    get: (name: string) => headers[name.toLowerCase()],
    rawBody: r.method === "GET" ? undefined : Buffer.from(r.body, "utf8"),
    body: r.method === "GET" ? undefined : JSON.parse(r.body),
  } as unknown as Request;
}

const verify = (v: Vector, req: Request, skewMs = 0) =>
  verifySalesforceCardRequest(
    { orgId: JSON.parse(v.body).orgId, secret: v.secret, now: () => Number(v.timestamp) + skewMs },
    req,
  );

describe("Salesforce card requests signed as the Apex vectors are verified by Tollgate", () => {
  for (const v of vectors) {
    it(`accepts: ${v.name}`, () => {
      const { card, principal } = verify(v, requestOf(v));
      expect(card.userId).toBe(JSON.parse(v.body).userId);
      expect(card.crm).toBe("salesforce");
      expect(principal.via).toBe("salesforce_card");
    });

    it(`refuses a changed method, path, body or secret, or a stale time: ${v.name}`, () => {
      const other = v.method === "GET" ? "POST" : "GET";
      expect(() => verify(v, requestOf(v, { method: other }))).toThrow(/signature/);
      expect(() => verify(v, requestOf(v, { path: `${v.path}x` }))).toThrow(/signature/);
      expect(() =>
        verify(v, requestOf(v, { body: v.body.replace("0055g00000B1c2DAAR", "0055g00000B1c2DAAS") })),
      ).toThrow(/signature/);
      expect(() => verify({ ...v, secret: `${v.secret}x` }, requestOf(v))).toThrow(/signature/);
      expect(() => verify(v, requestOf(v), 5 * 60_000 + 1)).toThrow(/signature/);
    });
  }
});

/**
 * `hs project dev`: HubSpot's dev proxy forwards a card's request to the local Tollgate and signs
 * the LOCAL URL, undecoded. The request here is signed by the dev server's own code
 * (`@hubspot/ui-extensions-dev-server` `getSignatureHeaders`), and accepted only when
 * TOLLGATE_DEV_PROXY_URL names that URL.
 */
import type { Request } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { CardSignatureError, verifyCardRequest } from "../../src/http/index.js";
// Not in the package's exports map: the proxy's signing module, by path.
import { getSignatureHeaders } from "../../../node_modules/@hubspot/ui-extensions-dev-server/dist/lib/proxy/signing.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";

const LOCAL = "http://localhost:3000";
const PATH =
  "/v1/records/hubspot/contacts/901/approvals?objectId=901&userId=4211&portalId=62515&userEmail=rep%40acme.test&appId=7777";

function proxiedRequest(): Request {
  process.env.CLIENT_SECRET = HUBSPOT_TEST_CLIENT_SECRET;
  const headers = getSignatureHeaders({ method: "GET", url: `${LOCAL}${PATH}` })!;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { method: "GET", originalUrl: PATH, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

const options = (devProxyUrl?: string) => ({
  clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
  appId: "7777",
  isInstalled: async () => true,
  publicUrl: "https://tollgate.acme.test",
  devProxyUrl,
});

afterEach(() => {
  delete process.env.CLIENT_SECRET;
});

describe("hs project dev's proxy signature", () => {
  it("is accepted over the local URL when TOLLGATE_DEV_PROXY_URL names it", async () => {
    const { card } = await verifyCardRequest(options(LOCAL), proxiedRequest());
    expect(card).toMatchObject({ portalId: "62515", userId: "4211", userEmail: "rep@acme.test" });
  });

  it("is refused without the development setting, or when it names another URL", async () => {
    await expect(verifyCardRequest(options(), proxiedRequest())).rejects.toBeInstanceOf(CardSignatureError);
    await expect(verifyCardRequest(options("http://localhost:4000"), proxiedRequest())).rejects.toBeInstanceOf(
      CardSignatureError,
    );
  });
});

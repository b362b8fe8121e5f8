import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrmError, msUntilNextCall } from "../../src/crm/index.js";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import { createHubSpotSandbox, type HubSpotSandbox } from "../../sandbox/hubspot/index.js";

// The pacing helper against the sandbox's rolling window, shortened to 400 ms so the test is quick.
const INTERVAL = 400;
let sandbox: HubSpotSandbox;
beforeAll(async () => {
  sandbox = await createHubSpotSandbox({ clientSecret: "s", appId: 1, rateLimit: { max: 10, intervalMs: INTERVAL } });
});
afterAll(() => sandbox.close());

describe("msUntilNextCall against a rolling window", () => {
  it("paces 35 calls over a 10-per-window budget without a single 429", async () => {
    const connector = createHubSpotConnector({
      accessToken: sandbox.tokens.issue({ appId: 100 }),
      portalId: 1,
      baseUrl: sandbox.url,
    });
    const before = sandbox.stats().rateLimited;
    for (let i = 0; i < 35; i++) {
      const wait = msUntilNextCall(connector.rateLimitState(), Date.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await connector.readRecords("contacts", ["1"], ["email"]);
    }
    expect(sandbox.stats().rateLimited).toBe(before);
  });

  it("without pacing the same burst is refused, with the window as the wait", async () => {
    const connector = createHubSpotConnector({
      accessToken: sandbox.tokens.issue({ appId: 200 }),
      portalId: 1,
      baseUrl: sandbox.url,
    });
    const error = await (async () => {
      for (let i = 0; i < 35; i++) await connector.readRecords("contacts", ["1"], ["email"]);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error).toMatchObject({ crmCode: "rate_limited", retryAfterMs: INTERVAL });
    expect(connector.rateLimitState()).toMatchObject({ max: 10, remaining: 0, intervalMs: INTERVAL });
  });
});

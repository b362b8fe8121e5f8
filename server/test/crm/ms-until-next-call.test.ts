import { describe, expect, it } from "vitest";
import { msUntilNextCall } from "../../src/crm/index.js";
import { readRateLimitHeaders, toHubSpotObjectName, toHubSpotObjectTypeId } from "../../src/crm/hubspot/index.js";

const state = (remaining: number, extra: { dailyRemaining?: number } = {}) => ({
  max: 100,
  remaining,
  intervalMs: 10_000,
  observedAt: 50_000,
  ...extra,
});

describe("msUntilNextCall", () => {
  it("lets calls through while more than the reserve remains", () => {
    expect(msUntilNextCall(undefined, 0)).toBe(0);
    expect(msUntilNextCall(state(50), 51_000)).toBe(0);
    expect(msUntilNextCall(state(6), 51_000)).toBe(0);
  });

  it("waits out the observed window once the reserve is reached", () => {
    expect(msUntilNextCall(state(5), 51_000)).toBe(9_000);
    expect(msUntilNextCall(state(0), 57_500)).toBe(2_500);
    expect(msUntilNextCall(state(0), 60_000)).toBe(0);
    expect(msUntilNextCall(state(10), 51_000, { reserve: 10 })).toBe(9_000);
  });

  it("holds off for a while when the daily budget is spent", () => {
    expect(msUntilNextCall(state(90, { dailyRemaining: 0 }), 51_000, { dailyExhaustedWaitMs: 60_000 })).toBe(59_000);
    expect(msUntilNextCall(state(90, { dailyRemaining: 3 }), 51_000)).toBe(0);
  });
});

describe("readRateLimitHeaders", () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it("reads HubSpot's headers and ignores answers without them", () => {
    expect(
      readRateLimitHeaders(
        headers({
          "X-HubSpot-RateLimit-Max": "190",
          "X-HubSpot-RateLimit-Remaining": "3",
          "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        }),
        7,
      ),
    ).toEqual({
      max: 190,
      remaining: 3,
      intervalMs: 10_000,
      observedAt: 7,
      dailyRemaining: undefined,
    });
    expect(readRateLimitHeaders(headers({ "X-HubSpot-RateLimit-Daily-Remaining": "3" }), 7)).toBeUndefined();
  });
});

describe("HubSpot object type names", () => {
  it("maps names, ids and legacy singulars both ways", () => {
    expect(toHubSpotObjectName("0-1")).toBe("contacts");
    expect(toHubSpotObjectName("contact")).toBe("contacts");
    expect(toHubSpotObjectName("0-3")).toBe("deals");
    expect(toHubSpotObjectTypeId("companies")).toBe("0-2");
    expect(toHubSpotObjectTypeId("2-12345")).toBe("2-12345");
    expect(toHubSpotObjectName("2-12345")).toBe("2-12345");
  });
});

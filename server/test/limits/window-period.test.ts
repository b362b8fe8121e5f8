import { describe, expect, it } from "vitest";
import { windowPeriod } from "../../src/limits/index.js";

describe("windowPeriod: calendar periods in the tenant's zone", () => {
  it("puts one instant in different days for different zones", () => {
    const at = new Date("2025-06-03T23:30:00Z");
    expect(windowPeriod("day", at, "UTC").id).toBe("d2025-06-03");
    expect(windowPeriod("day", at, "Asia/Tokyo").id).toBe("d2025-06-04");
    expect(windowPeriod("day", at, "America/New_York").id).toBe("d2025-06-03");
  });

  it("starts a new day at local midnight (New York in summer: 04:00 UTC)", () => {
    expect(windowPeriod("day", new Date("2025-06-04T03:59:00Z"), "America/New_York").id).toBe("d2025-06-03");
    expect(windowPeriod("day", new Date("2025-06-04T04:01:00Z"), "America/New_York").id).toBe("d2025-06-04");
  });

  it("expires a day's key after the local day is over, with a grace hour", () => {
    // 20:00 local in New York: 4 hours left, plus the grace hour.
    const p = windowPeriod("day", new Date("2025-06-04T00:00:00Z"), "America/New_York");
    expect(p.ttlSeconds).toBe(4 * 3600 + 3600);
  });

  it("names hours by local hour and expires them at its end", () => {
    const p = windowPeriod("hour", new Date("2025-06-03T14:45:30Z"), "Europe/Paris");
    expect(p.id).toBe("h2025-06-03T16");
    expect(p.ttlSeconds).toBe(14 * 60 + 30 + 3600);
  });

  it("names weeks by their Monday, so Sunday and the next Monday differ", () => {
    expect(windowPeriod("week", new Date("2025-06-08T12:00:00Z"), "UTC").id).toBe("w2025-06-02");
    expect(windowPeriod("week", new Date("2025-06-09T00:30:00Z"), "UTC").id).toBe("w2025-06-09");
    // Sunday 12:00 UTC: half a day left in the week.
    expect(windowPeriod("week", new Date("2025-06-08T12:00:00Z"), "UTC").ttlSeconds).toBe(12 * 3600 + 3600);
  });
});

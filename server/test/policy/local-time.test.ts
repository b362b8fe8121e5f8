import { describe, expect, it } from "vitest";
import { localTime } from "../../src/policy/local-time.js";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function reference(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: DAYS.indexOf(get("weekday")), minute: (Number(get("hour")) % 24) * 60 + Number(get("minute")) };
}

describe("localTime", () => {
  it("matches Intl at every minute around DST changes and midnight, in odd-offset zones too", () => {
    const zones = [
      "America/New_York",
      "Europe/London",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
      "UTC",
      "Pacific/Chatham",
    ];
    const starts = [
      Date.UTC(2025, 2, 9, 5, 0),
      Date.UTC(2025, 2, 30, 0, 0),
      Date.UTC(2025, 3, 5, 14, 0),
      Date.UTC(2025, 10, 2, 5, 0),
      Date.UTC(2025, 0, 1, 23, 0),
    ];
    let checked = 0;
    for (const tz of zones) {
      for (const start of starts) {
        for (let m = -180; m <= 180; m += 7) {
          const ms = start + m * 60_000 + 13_000;
          expect(localTime(ms, tz), `${tz} ${new Date(ms).toISOString()}`).toEqual(reference(ms, tz));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("returns undefined for an unknown zone", () => {
    expect(localTime(Date.now(), "Nowhere/Special")).toBeUndefined();
  });
});

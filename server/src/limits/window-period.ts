import type { CounterWindow } from "../policy/index.js";

export interface WindowPeriod {
  /** Names the calendar period the window is in: `d2025-06-03`, `h2025-06-03T14`, `w2025-06-02` (its Monday). */
  id: string;
  /** Seconds until the period is over, plus a grace hour for DST shifts: the key's TTL. */
  ttlSeconds: number;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const GRACE_SECONDS = 3_600;
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * The period of `window` that `at` falls in, by the calendar of `timeZone` (R8: "per day" is
 * the tenant's day, not UTC's). Counters are keyed by it, so a new day starts a new counter
 * and the old one simply expires.
 */
export function windowPeriod(window: CounterWindow, at: Date, timeZone: string): WindowPeriod {
  const p = localParts(at, timeZone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const intoDay = p.hour * 3600 + p.minute * 60 + p.second;
  switch (window) {
    case "hour":
      return { id: `h${date}T${pad(p.hour)}`, ttlSeconds: 3600 - (p.minute * 60 + p.second) + GRACE_SECONDS };
    case "day":
      return { id: `d${date}`, ttlSeconds: 86_400 - intoDay + GRACE_SECONDS };
    case "week": {
      // Weeks start on Monday (ISO 8601); the id is that Monday's local date.
      const noon = Date.UTC(p.year, p.month - 1, p.day, 12);
      const weekday = (new Date(noon).getUTCDay() + 6) % 7;
      const monday = new Date(noon - weekday * 86_400_000);
      return {
        id: `w${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`,
        ttlSeconds: (7 - weekday) * 86_400 - intoDay + GRACE_SECONDS,
      };
    }
  }
}

function localParts(at: Date, timeZone: string): LocalParts {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    // Throws RangeError for an unknown zone; policy zones are validated when the policy loads.
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, fmt);
  }
  const out: Record<string, number> = {};
  for (const part of fmt.formatToParts(at)) if (part.type !== "literal") out[part.type] = Number(part.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

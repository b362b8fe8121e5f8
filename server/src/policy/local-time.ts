const QUARTER_HOUR = 900_000;
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

interface Memo {
  weekday: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Zone → quarter-hour bucket → local time at the bucket's start. */
const memo = new Map<string, Map<number, Memo>>();
/** Zones come from agent input; keep the memo from growing without bound. */
const MAX_ZONES = 1_000;
/** Two days of quarter hours per zone: decisions cluster around "now", give or take. */
const MAX_BUCKETS = 192;

export interface LocalTime {
  /** Monday = 0 … Sunday = 6. */
  weekday: number;
  /** Minutes after local midnight. */
  minute: number;
}

/**
 * Weekday and minute of `ms` in `timeZone`, or `undefined` for an unknown zone.
 *
 * `Intl` formatting costs microseconds, so the answer is memoised per zone for the current UTC
 * quarter hour: every zone's offset is a multiple of 15 minutes and changes (DST) only on a
 * quarter-hour boundary, so local time advances linearly inside one. Pure: same input, same output.
 */
export function localTime(ms: number, timeZone: string): LocalTime | undefined {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let zone = memo.get(timeZone);
  let m = zone?.get(bucket);
  if (m === undefined) {
    const fmt = formatterFor(timeZone);
    if (fmt === null) return undefined;
    m = compute(fmt, bucket);
    if (zone === undefined) {
      if (memo.size >= MAX_ZONES) memo.clear();
      zone = new Map();
      memo.set(timeZone, zone);
    } else if (zone.size >= MAX_BUCKETS) zone.clear();
    zone.set(bucket, m);
  }
  let minute = m.minute + Math.floor((ms - bucket * QUARTER_HOUR) / 60_000);
  let weekday = m.weekday;
  if (minute >= 1440) {
    minute -= 1440;
    weekday = (weekday + 1) % 7;
  }
  return { weekday, minute };
}

export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat("en-US", {
        timeZone,
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      fmt = null;
    }
    if (formatters.size >= MAX_ZONES) formatters.clear();
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

function compute(fmt: Intl.DateTimeFormat, bucket: number): Memo {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of fmt.formatToParts(new Date(bucket * QUARTER_HOUR))) {
    if (part.type === "weekday") weekday = WEEKDAY_INDEX[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

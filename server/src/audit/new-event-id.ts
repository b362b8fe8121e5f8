import { randomUUID } from "node:crypto";

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by
 * creation time and index well. The chain order is `seq`, not this id; the id only has to be
 * unique and roughly time-ordered. Built on randomUUID (a v4, whose variant bits v7 shares)
 * because it draws from a cached entropy pool: appends are a hot path.
 */
export function newEventId(now: Date = new Date()): string {
  const ms = now.getTime().toString(16).padStart(12, "0").slice(-12);
  const v4 = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${v4.slice(15)}`;
}

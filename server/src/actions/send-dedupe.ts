import type { Redis } from "ioredis";
import { type ActionPayload, sha256Hex } from "../../../shared/index.js";

/**
 * Remembers each permitted send for the dedupe window (R4 "dedupe across Lead and Contact": the
 * key is the recipient's address, whatever record it was reached through) plus the template —
 * or, without one, the subject and body. One Redis key per send, expiring with the window; the
 * value is the permitting audit event. Losing Redis forgets the window, never a decision.
 */
export function createSendDedupe(options: { redis: Redis; prefix: string; windowMs: number }) {
  const { redis, prefix, windowMs } = options;
  const keyOf = (tenantId: string, p: ActionPayload) => {
    const what =
      p.template !== undefined
        ? `template:${p.template}`
        : `content:${sha256Hex(`${p.subject ?? ""}\u0000${p.body ?? ""}`)}`;
    return `${prefix}:act:{${tenantId}}:sent:${sha256Hex(`${(p.to ?? "").toLowerCase()}\u0000${what}`)}`;
  };
  return {
    /** The event id of an identical send inside the window, if any. */
    async find(tenantId: string, p: ActionPayload): Promise<string | undefined> {
      return (await redis.get(keyOf(tenantId, p))) ?? undefined;
    },
    /** Takes the slot for this send; false when an identical send took it first. */
    async claim(tenantId: string, p: ActionPayload, ref: string): Promise<boolean> {
      return (await redis.set(keyOf(tenantId, p), ref, "PX", windowMs, "NX")) === "OK";
    },
    /** Records the permitting event in a slot this request holds. */
    async settle(tenantId: string, p: ActionPayload, eventId: string): Promise<void> {
      await redis.set(keyOf(tenantId, p), eventId, "PX", windowMs, "XX");
    },
    /** Frees a slot whose send was not permitted after all. */
    async release(tenantId: string, p: ActionPayload, ref: string): Promise<void> {
      // Only our own claim: compare-and-delete, so a slot another request took is never freed.
      await redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        1,
        keyOf(tenantId, p),
        ref,
      );
    },
  };
}

export type SendDedupe = ReturnType<typeof createSendDedupe>;

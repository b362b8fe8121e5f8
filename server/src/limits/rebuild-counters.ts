import type { Redis } from "ioredis";
import type { CounterLedger } from "./create-counter-ledger.js";

/** One Redis counter of one window and the ledger counter it is rebuilt from. */
export interface CounterSlot {
  /** Its Redis key. */
  name: string;
  /** Its ledger name (tenant apart): `cap:<period>:<key>`, `trg:<metric>:<subject>:<bucket>`. */
  counter: string;
  ttlSeconds: number;
}

/**
 * Sets each missing Redis counter to what the ledger counted for its window — only if it is
 * still missing (SET NX), so a counter another process rebuilt or counted meanwhile is kept.
 * A window no one has counted in yet is set to 0, so it is looked up once, not on every read.
 * `recordedNow`: events a caller has just recorded and is about to add itself, left out.
 */
export async function rebuildCounters(
  redis: Redis,
  ledger: CounterLedger,
  tenantId: string,
  slots: readonly CounterSlot[],
  recordedNow: ReadonlyMap<string, number> = new Map(),
): Promise<void> {
  if (slots.length === 0) return;
  const counts = await ledger.counts(
    tenantId,
    slots.map((s) => s.counter),
  );
  const pipeline = redis.pipeline();
  for (const s of slots) {
    const value = Math.max(0, (counts.get(s.counter) ?? 0) - (recordedNow.get(s.counter) ?? 0));
    pipeline.set(s.name, value, "EX", Math.max(1, s.ttlSeconds), "NX");
  }
  await pipeline.exec();
}

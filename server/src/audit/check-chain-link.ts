import { computeEventHash } from "./compute-event-hash.js";

/** Why a link is broken; stable strings, shown to auditors. */
export const BROKEN_LINK = {
  noHash: "event has no hash or prev_hash",
  hashMismatch: "hash mismatch",
  prevMismatch: "prev_hash does not match previous event",
} as const;

/**
 * Checks one event against the chain so far: its own hash first (was it edited?), then its
 * link to the previous event (was something removed or reordered before it?). Returns why it
 * is broken, or null. Pure; verify() and verifyExport() share it so the server and an outside
 * auditor judge a chain by the same rule.
 */
export function checkChainLink(expectedPrevHash: string, event: Record<string, unknown>): string | null {
  if (typeof event.hash !== "string" || typeof event.prev_hash !== "string") return BROKEN_LINK.noHash;
  if (computeEventHash(event.prev_hash, event) !== event.hash) return BROKEN_LINK.hashMismatch;
  if (event.prev_hash !== expectedPrevHash) return BROKEN_LINK.prevMismatch;
  return null;
}

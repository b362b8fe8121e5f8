import { canonicalJson, sha256Hex } from "../../../shared/canonical-json.js";

/** The prev_hash of a tenant's first event. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The chain link of one event (DESIGN §6):
 *
 *     hash = sha256_hex( prevHash + canonical_json(event without its "hash" member) )
 *
 * `prevHash` is the previous event's hash as 64 lowercase hex characters (GENESIS_HASH for the
 * first), prefixed as text; the JSON covers every other member of the event — event_id,
 * tenant_id, occurred_at, recorded_at, prev_hash itself, actor, decision, evidence… — and is
 * hashed as UTF-8. Pure: an auditor can run it on an exported line.
 *
 * @example computeEventHash(GENESIS_HASH, event) === event.hash
 */
export function computeEventHash(prevHash: string, event: object): string {
  const { hash: _hash, ...covered } = event as Record<string, unknown>;
  return sha256Hex(prevHash + canonicalJson(covered));
}

/**
 * Splits the canonical JSON of an event (without `hash`) around the value of its prev_hash:
 * `canonicalJson({...body, prev_hash: p}) === head + p + tail` for every hex `p`. The database
 * learns prev_hash only once it holds the tenant's head lock, so it finishes the text there
 * (see `audit_append` in migration 001) without a second round trip.
 */
export function splitAroundPrevHash(body: Record<string, unknown>): { head: string; tail: string } {
  const before: string[] = [];
  const after: string[] = [];
  const keys = Object.keys(body)
    .filter((k) => k !== "prev_hash" && k !== "hash" && body[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) (key < "prev_hash" ? before : after).push(`${JSON.stringify(key)}:${canonicalJson(body[key])}`);
  return {
    head: `{${before.map((m) => `${m},`).join("")}"prev_hash":"`,
    tail: `"${after.map((m) => `,${m}`).join("")}}`,
  };
}

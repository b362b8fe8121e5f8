import { canonicalJson, sha256Hex } from "../../../shared/index.js";
import { canonicalText } from "./canonical-text.js";

/** The prev_hash of a tenant's first event. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The chain link of one event (docs/contracts.md#audit-event):
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
  let head = "{";
  let tail = '"';
  for (const key of Object.keys(body).sort()) {
    const value = body[key];
    if (key === "prev_hash" || key === "hash" || value === undefined) continue;
    const member = `${JSON.stringify(key)}:${canonicalText(value)}`;
    if (key < "prev_hash") head += `${member},`;
    else tail += `,${member}`;
  }
  return { head: `${head}"prev_hash":"`, tail: `${tail}}` };
}

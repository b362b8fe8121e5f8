import type { AuditVerifyResult } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { BROKEN_LINK, checkChainLink } from "./check-chain-link.js";
import type { CheckpointKey } from "./checkpoint-key.js";
import { GENESIS_HASH } from "./compute-event-hash.js";
import type { AuditCheckpoint } from "./types.js";
import { verifyCheckpoint } from "./verify-checkpoint.js";
import { AUDIT_CHECKPOINT_ACTION } from "./record-checkpoint.js";
import { AUDIT_RETENTION_ACTION, tombstoneOf, verifyTombstone, type AuditTombstone } from "./tombstone.js";

// Parameters: $1 tenant id, $2 last seq seen, $3 page size.
const PAGE_SQL = `SELECT seq, event_id, tenant_id, prev_hash, hash, occurred_at, object_type, object_id, agent_id, run_id, outcome, event
  FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

interface EventRow {
  seq: string | number;
  event_id: string;
  tenant_id: string;
  prev_hash: string;
  hash: string;
  occurred_at: Date | string;
  object_type: string | null;
  object_id: string | null;
  agent_id: string | null;
  run_id: string | null;
  outcome: string | null;
  event: Record<string, unknown>;
}

/**
 * Walks each tenant's chain in seq order, a page at a time, recomputing every hash. Finds an
 * edited event (hash mismatch), an edited hash or copy column, a deleted event (sequence gap,
 * or a prev_hash that no longer matches), reordered events, events missing after the last
 * one (the head is ahead), and a chain rewritten wholesale (it no longer matches a signed
 * checkpoint — hashes alone cannot catch that, since anyone can recompute them).
 * Stops at the first break.
 */
export async function verifyChain(
  sql: Sql,
  tenantId: string | undefined,
  keys: readonly CheckpointKey[],
  pageSize: number,
): Promise<AuditVerifyResult> {
  const tenants =
    tenantId !== undefined
      ? [tenantId]
      : (
          await sql.query<{ tenant_id: string }>(
            "SELECT tenant_id FROM audit_heads UNION SELECT DISTINCT tenant_id FROM audit_events ORDER BY 1",
          )
        ).rows.map((r) => r.tenant_id);
  let checked = 0;
  for (const tenant of tenants) {
    const result = await verifyTenant(sql, tenant, keys, pageSize);
    checked += result.checked;
    if (result.firstBroken) return { ok: false, checked, firstBroken: result.firstBroken };
  }
  return { ok: true, checked, firstBroken: null };
}

async function verifyTenant(
  sql: Sql,
  tenantId: string,
  keys: readonly CheckpointKey[],
  pageSize: number,
): Promise<AuditVerifyResult> {
  const checkpoints = await loadCheckpoints(sql, tenantId);
  // Every stored checkpoint must be one this deployment's key signed: an unknown key, or no key
  // to check with, is reported rather than trusted.
  for (const cp of checkpoints) {
    const problem = signatureProblem(`checkpoint at seq ${cp.seq}`, cp.key_id, keys, (k) =>
      verifyCheckpoint(cp, k.publicKey),
    );
    if (problem) return { ok: false, checked: 0, firstBroken: { eventId: "", reason: problem } };
  }
  const signedAt = new Map(checkpoints.map((cp) => [cp.seq, cp.hash]));
  let checked = 0;
  // Where the chain starts: genesis, or — after retention removed its oldest events — the last
  // hash of the signed tombstone that accounts for them.
  const start = await findStart(sql, tenantId, keys);
  if ("reason" in start) return { ok: false, checked: 0, firstBroken: start };
  let { seq, prevHash } = start;
  let lastId = "";
  const broken = (eventId: string, reason: string): AuditVerifyResult => ({
    ok: false,
    checked,
    firstBroken: { eventId, reason },
  });
  if (signedAt.has(0) && signedAt.get(0) !== GENESIS_HASH)
    return broken("", "empty-chain checkpoint does not carry the genesis hash");

  for (;;) {
    const { rows } = await sql.query<EventRow>(PAGE_SQL, [tenantId, seq, pageSize]);
    for (const row of rows) {
      checked += 1;
      const reason = checkRow(row, seq + 1, prevHash);
      if (reason) return broken(row.event_id, reason);
      seq += 1;
      prevHash = row.hash;
      lastId = row.event_id;
      const signed = signedAt.get(seq);
      if (signed !== undefined && signed !== row.hash)
        return broken(row.event_id, `event differs from the signed checkpoint at seq ${seq}`);
      // A checkpoint recorded in the chain must still be stored: deleting one is noticed.
      const recorded = recordedCheckpoint(row.event);
      if (recorded && !checkpoints.some((cp) => cp.seq === recorded.seq && cp.signature === recorded.signature))
        return broken(row.event_id, `the signed checkpoint at seq ${recorded.seq} this event records is missing`);
      // A tombstone anywhere in the chain must be one this deployment's key signed.
      const badTombstone =
        row.event.action === AUDIT_RETENTION_ACTION ? tombstoneEventProblem(row.event, seq, keys) : undefined;
      if (badTombstone) return broken(row.event_id, badTombstone);
    }
    if (rows.length < pageSize) break;
  }

  const head = (
    await sql.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", [
      tenantId,
    ])
  ).rows[0];
  if (!head && seq > 0) return broken(lastId, "the tenant's chain head is missing");
  const headSeq = head ? Number(head.seq) : 0;
  if (headSeq > seq)
    return broken(
      lastId,
      `events missing after this event: the chain head is at seq ${headSeq}, the last event at seq ${seq}`,
    );
  if (headSeq !== seq || (head && head.hash !== prevHash))
    return broken(lastId, "the chain head does not match the last event");
  const beyond = checkpoints.find((cp) => cp.seq > seq);
  if (beyond) return broken(lastId, `events missing after this event: a signed checkpoint covers seq ${beyond.seq}`);
  return { ok: true, checked, firstBroken: null };
}

/**
 * Why a stored row does not continue the chain, or null. The order matters for the reason
 * given: a deleted row shows as a sequence gap before it shows as a broken link.
 */
function checkRow(row: EventRow, expectedSeq: number, expectedPrevHash: string): string | null {
  const ev = row.event;
  const link = checkChainLink(expectedPrevHash, ev);
  if (link && link !== BROKEN_LINK.prevMismatch) return link;
  if (row.hash !== ev.hash) return "hash column does not match the event";
  if (row.prev_hash !== ev.prev_hash || row.event_id !== ev.event_id || row.tenant_id !== ev.tenant_id) {
    return "prev_hash, event_id or tenant_id column does not match the event";
  }
  if (Number(row.seq) !== expectedSeq) return "sequence gap before this event";
  if (link) return link;
  const actor = ev.actor as { type?: unknown; id?: unknown } | null;
  const decision = ev.decision as { outcome?: unknown } | null;
  const matches =
    row.object_type === (ev.object_type ?? null) &&
    row.object_id === (ev.object_id ?? null) &&
    row.run_id === (ev.run_id ?? null) &&
    row.outcome === (decision?.outcome ?? null) &&
    row.agent_id === (actor?.type === "agent" ? actor.id : null) &&
    new Date(row.occurred_at).getTime() === Date.parse(String(ev.occurred_at));
  // Queries filter on these copies; a copy edited alone would hide or misplace an event.
  return matches ? null : "query columns do not match the event";
}

/** The checkpoint an `audit_checkpoint` event records (`evidence.checkpoint`), if it is one. */
function recordedCheckpoint(ev: Record<string, unknown>): { seq: number; signature: string } | undefined {
  if (ev.action !== AUDIT_CHECKPOINT_ACTION) return undefined;
  const cp = (ev.evidence as { checkpoint?: { seq?: unknown; signature?: unknown } } | null)?.checkpoint;
  return typeof cp?.seq === "number" && typeof cp.signature === "string"
    ? { seq: cp.seq, signature: cp.signature }
    : undefined;
}

async function loadCheckpoints(sql: Sql, tenantId: string): Promise<AuditCheckpoint[]> {
  const { rows } = await sql.query<AuditCheckpoint & { seq: string | number }>(
    "SELECT tenant_id, seq, hash, at, key_id, signature FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY seq",
    [tenantId],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

type Start = { seq: number; prevHash: string } | { eventId: string; reason: string };

/** Where a tenant's stored chain starts: genesis, or the signed tombstone naming the removed events before it. */
async function findStart(sql: Sql, tenantId: string, keys: readonly CheckpointKey[]): Promise<Start> {
  const first = (
    await sql.query<{ seq: string | number; event_id: string }>(
      "SELECT seq, event_id FROM audit_events WHERE tenant_id = $1 ORDER BY seq LIMIT 1",
      [tenantId],
    )
  ).rows[0];
  if (!first || Number(first.seq) === 1) return { seq: 0, prevHash: GENESIS_HASH };
  const through = Number(first.seq) - 1;
  const { rows } = await sql.query<{ event: Record<string, unknown> }>(
    `SELECT event FROM audit_events WHERE tenant_id = $1 AND event->>'action' = $2
       AND event->'evidence'->'tombstone'->>'through_seq' = $3 ORDER BY seq DESC LIMIT 1`,
    [tenantId, AUDIT_RETENTION_ACTION, String(through)],
  );
  const tombstone = rows[0] ? tombstoneOf(rows[0].event) : undefined;
  if (!tombstone)
    return { eventId: first.event_id, reason: `events 1–${through} are missing and no tombstone accounts for them` };
  const problem = tombstoneProblem(tombstone, keys);
  if (problem) return { eventId: first.event_id, reason: problem };
  return { seq: through, prevHash: tombstone.through_hash };
}

/** Why an `audit_retention` event at `seq` cannot be trusted, or undefined. */
function tombstoneEventProblem(event: Record<string, unknown>, seq: number, keys: readonly CheckpointKey[]) {
  const t = tombstoneOf(event);
  if (!t) return "tombstone is malformed";
  return tombstoneProblem(t, keys) ?? (t.through_seq >= seq ? "tombstone names events after itself" : undefined);
}

function tombstoneProblem(t: AuditTombstone, keys: readonly CheckpointKey[]): string | undefined {
  return signatureProblem(`tombstone of seq ${t.from_seq}–${t.through_seq}`, t.key_id, keys, (k) =>
    verifyTombstone(t, k.publicKey),
  );
}

/**
 * Why something signed cannot be trusted: no key to check it, a key that is neither the current
 * one nor a previous one still trusted (TOLLGATE_ENCRYPTION_KEY_PREVIOUS, docs/operations.md), or a
 * bad signature.
 */
function signatureProblem(
  what: string,
  keyId: string,
  keys: readonly CheckpointKey[],
  valid: (key: CheckpointKey) => boolean,
) {
  if (keys.length === 0) return `${what} cannot be checked: no checkpoint key is configured`;
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) return `${what} is signed by an unknown key ${keyId}`;
  return valid(key) ? undefined : `${what} has an invalid signature`;
}

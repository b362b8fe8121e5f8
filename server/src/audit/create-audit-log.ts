import { createHmac, hkdfSync } from "node:crypto";
import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import type { Database } from "../db/index.js";
import { ConfigError } from "../errors/index.js";
import { appendPrepared } from "./append-prepared.js";
import { applyRetention } from "./apply-retention.js";
import { createAppendBatcher } from "./create-append-batcher.js";
import { checkpointKeyFromSeed } from "./checkpoint-key.js";
import { createCheckpoint, latestCheckpoint } from "./create-checkpoint.js";
import { exportJsonl } from "./export-jsonl.js";
import { newEventId } from "./new-event-id.js";
import { prepareEvent, sha256OfSensitive } from "./prepare-event.js";
import { queryEvents } from "./query-events.js";
import type { AuditLog, AuditLogOptions } from "./types.js";
import { verifyChain } from "./verify-chain.js";
import { checkpointEvent } from "./record-checkpoint.js";

/**
 * The tamper-evident audit log over the system-of-record database (docs/contracts.md#audit-event). The database
 * must be migrated (migrations 001_audit and 008_audit_append_fast); the factory checks, so a missing table fails at
 * start-up rather than on the first event.
 *
 * @example
 * const audit = await createAuditLog(db, { signingSeed: deriveCheckpointKey(env.TOLLGATE_ENCRYPTION_KEY).seed });
 * const event = await audit.append({ tenant_id: "default", actor: { type: "agent", id: "enrichment-bot" }, action:
 * "field_write" });
 */
export async function createAuditLog(db: Database, options: AuditLogOptions = {}): Promise<AuditLog> {
  const found = await db.query<{ many: string | null; one: string | null }>(
    "SELECT to_regprocedure('audit_append(text, text[], text[])')::text AS many, to_regprocedure('audit_append_one(text, text, text)')::text AS one",
  );
  if (!found.rows[0]?.many || !found.rows[0]?.one)
    throw new ConfigError("audit log tables are missing or out of date: run the database migrations first");
  const key = options.signingSeed ? checkpointKeyFromSeed(options.signingSeed) : null;
  // What verify trusts: the current key, then keys rotated out that still vouch for older signatures.
  const trusted = [...(key ? [key] : []), ...(options.previousSigningSeeds ?? []).map(checkpointKeyFromSeed)];
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 1000;
  const appendGrouped = createAppendBatcher(db, options.maxBatch ?? 100);
  // Sensitive values are hashed with a key of their own (derived from the signing seed), so a list
  // of candidate values cannot be hashed to find which one an event holds.
  const sensitiveKey = key
    ? Buffer.from(hkdfSync("sha256", key.seed, Buffer.alloc(0), "tollgate-audit-sensitive", 32))
    : null;
  const hashSensitive = sensitiveKey
    ? (v: unknown) =>
        `hmac-sha256:${createHmac("sha256", sensitiveKey)
          .update(typeof v === "string" ? v : JSON.stringify(v))
          .digest("hex")}`
    : undefined;
  const context = (at: Date) => ({ now: at, newId: newEventId, ...(hashSensitive ? { hashSensitive } : {}) });
  const prepare = (inputs: readonly AuditEventInput[]) => {
    const at = now();
    return inputs.map((input) => prepareEvent(input, context(at)));
  };

  return {
    keyId: key?.keyId ?? null,
    publicKeyPem: key?.publicKeyPem ?? null,
    hashSensitive: hashSensitive ?? sha256OfSensitive,

    async append(input, { tx } = {}) {
      const prepared = prepareEvent(input, context(now()));
      if (tx) return (await appendPrepared(tx, [prepared]))[0]!;
      return appendGrouped(prepared);
    },

    async appendMany(inputs, { tx } = {}) {
      const prepared = prepare(inputs);
      if (prepared.length === 0) return [];
      // One tenant is one statement, atomic on its own; several need a transaction around them.
      const oneTenant = prepared.every((p) => p.tenantId === prepared[0]!.tenantId);
      if (tx || oneTenant) return appendPrepared(tx ?? db, prepared);
      return db.transaction((t) => appendPrepared(t, prepared));
    },

    query: (q) => queryEvents(db, q, "newest_first"),
    async get(tenantId, eventId) {
      const { rows } = await db.query<{ event: AuditEvent }>(
        "SELECT event FROM audit_events WHERE tenant_id = $1 AND event_id = $2",
        [tenantId, eventId],
      );
      return rows[0]?.event;
    },
    verify: (tenantId) => verifyChain(db, tenantId, trusted, pageSize),
    exportJsonl: (q) => exportJsonl(db, q, pageSize),

    async checkpoint(tenantId, checkpointOptions = {}) {
      if (!key) throw new ConfigError("audit checkpoints need a signing key: pass signingSeed to createAuditLog");
      if (!checkpointOptions.record) return createCheckpoint(db, tenantId, key, now());
      // Signed and recorded in one transaction: the checkpoint row and the event naming it.
      return db.transaction(async (tx) => {
        const cp = await createCheckpoint(tx, tenantId, key, now());
        await appendPrepared(tx, [
          prepareEvent(checkpointEvent(cp, key.publicKeyPem), { now: now(), newId: newEventId }),
        ]);
        return cp;
      });
    },
    latestCheckpoint: (tenantId) => latestCheckpoint(db, tenantId),
    async applyRetention(req, owner) {
      if (!key) throw new ConfigError("audit retention signs its archives: pass signingSeed to createAuditLog");
      return applyRetention({ db, owner: owner ?? db, key, now, pageSize }, req);
    },
  };
}

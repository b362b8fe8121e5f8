import type { AuditEvent, AuditEventInput, AuditQuery, AuditVerifyResult } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import type { RetentionRequest, RetentionResult } from "./apply-retention.js";

export interface AuditLogOptions {
  /**
   * 32 bytes from which the Ed25519 checkpoint key is derived. The server passes
   * `deriveCheckpointKey(TOLLGATE_ENCRYPTION_KEY).seed` (HKDF-SHA256, info
   * "tollgate-audit-checkpoint"). Without it, checkpoint() throws and verify() cannot check
   * checkpoint signatures.
   */
  signingSeed?: Uint8Array;
  /**
   * Seeds of keys rotated out (`TOLLGATE_ENCRYPTION_KEY_PREVIOUS`): checkpoints and tombstones they
   * signed still verify; nothing new is signed with them. @defaultValue none
   */
  previousSigningSeeds?: readonly Uint8Array[];
  /**
   * The clock; event ids, recorded_at and checkpoint times come from it.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
  /**
   * At most this many events of one tenant go in one statement when appends queue behind one
   * in flight (group commit; see create-append-batcher.ts). 1 turns grouping off.
   * @defaultValue 100
   */
  maxBatch?: number;
  /**
   * Rows per page when verify() and exportJsonl() walk the table.
   * @defaultValue 1000
   */
  pageSize?: number;
}

export interface AppendOptions {
  /**
   * Append inside the caller's transaction, so an intent is written atomically with the
   * caller's own rows. The tenant's head row stays locked until that transaction ends: keep
   * it short, and run it at READ COMMITTED (the default).
   */
  tx?: Sql;
}

/** One page of `query()`, newest first. */
export interface AuditPage {
  events: AuditEvent[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** A tenant's chain head, signed with Ed25519 so an outsider holding only the public key can check an export. */
export interface AuditCheckpoint {
  tenant_id: string;
  /** How many events the chain held (the seq of the head event; 0 for an empty chain). */
  seq: number;
  /** The head event's hash (GENESIS_HASH for an empty chain). */
  hash: string;
  /** When it was signed, ISO-8601 UTC. */
  at: string;
  /** First 16 hex characters of sha256(public key, SPKI DER). */
  key_id: string;
  /** Base64 Ed25519 signature over canonical_json({at, hash, seq, tenant_id}). */
  signature: string;
}

export interface ExportVerifyResult {
  ok: boolean;
  /** Lines checked. */
  checked: number;
  /** Lines after the checkpoint's seq: chained correctly but not covered by the signature. */
  beyondCheckpoint: number;
  /** `line` is 1-based; 0 when the checkpoint itself is at fault. */
  firstBroken: { line: number; eventId: string | null; reason: string } | null;
}

export interface AuditLog {
  /**
   * Validates, redacts secrets, chains and stores one event; resolves once it is durable (or,
   * with `tx`, once it is written in that transaction).
   * @throws ValidationError on bad input; nothing is written.
   */
  append(input: AuditEventInput, options?: AppendOptions): Promise<AuditEvent>;
  /** Appends several events in one transaction, in order; all or none. */
  appendMany(inputs: readonly AuditEventInput[], options?: AppendOptions): Promise<AuditEvent[]>;
  /** Filters events; newest first (highest recorded order first), cursor-paged. */
  query(q: AuditQuery): Promise<AuditPage>;
  /** One event of one tenant by its id; `undefined` when that tenant has no such event. */
  get(tenantId: string, eventId: string): Promise<AuditEvent | undefined>;
  /** Recomputes every hash in seq order, per tenant (all tenants when none is given). */
  verify(tenantId?: string): Promise<AuditVerifyResult>;
  /**
   * Streams the matching events oldest first (chain order), one canonical-JSON line each
   * ending in "\n", a page at a time, to the end (`limit` is ignored). An unfiltered
   * export of one tenant is its whole chain, which verifyExport() checks.
   */
  exportJsonl(q: AuditQuery): AsyncIterable<string>;
  /** Signs and stores the tenant's current head. */
  checkpoint(tenantId: string, options?: { record?: boolean }): Promise<AuditCheckpoint>;
  /**
   * Retention for one tenant: archives the events recorded before `req.before` to a signed JSONL
   * file, then appends a signed tombstone and removes them, in one transaction run on `owner`
   * (the schema owner when the runtime has its own role; default: this log's database).
   * @throws ConfigError without a signing key · Error when the chain to archive is broken
   */
  applyRetention(req: RetentionRequest, owner?: Database): Promise<RetentionResult>;
  /** The tenant's most recent stored checkpoint, if any. */
  latestCheckpoint(tenantId: string): Promise<AuditCheckpoint | null>;
  /** The checkpoint key's id and public key (PEM, SPKI); null without a signing seed. */
  readonly keyId: string | null;
  readonly publicKeyPem: string | null;
  /**
   * The one rule by which a value the CRM marks sensitive is kept: `hmac-sha256:<hex>` under a key
   * derived from the checkpoint key (`sha256:<hex>` without one) — in audit events, and in working
   * rows once they no longer need the value (docs/operations.md, security).
   */
  hashSensitive(value: unknown): string;
}

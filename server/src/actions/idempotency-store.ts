import type { ActionResponse } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { ActionInProgressError, IdempotencyKeyReusedError } from "./action-errors.js";
import { loadSql } from "./load-sql.js";

/** One idempotency key of one agent; a retry that carries an approval is a key of its own. */
export interface IdempotencyKey {
  tenantId: string;
  agentId: string;
  key: string;
  approvalId: string | undefined;
}

export type Claim = { kind: "claimed" } | { kind: "replay"; response: ActionResponse };

/** A claim left pending this long belongs to a request that died; the next one takes it over. */
const STALE_AFTER_SECONDS = 60;

const params = (k: IdempotencyKey) => [k.tenantId, k.agentId, k.key, k.approvalId ?? ""];

/**
 * Idempotency keys in PostgreSQL (`action_requests`, migration 007): claimed before deciding,
 * answered in the decision's transaction, so the same key never decides, counts or audits twice.
 */
export function createIdempotencyStore(db: Sql) {
  return {
    /**
     * Claims `k` for a request with hash `hash`, or returns the stored answer.
     * @throws IdempotencyKeyReusedError (409) when the key came with another request
     * @throws ActionInProgressError (409) while another request holds the key
     */
    async claim(k: IdempotencyKey, hash: string, now: Date): Promise<Claim> {
      const { rows } = await db.query(loadSql("claim-request"), [
        ...params(k),
        hash,
        now.toISOString(),
        STALE_AFTER_SECONDS,
      ]);
      if (rows.length > 0) return { kind: "claimed" };
      const found = await db.query<{ request_hash: string; state: string; response: ActionResponse | null }>(
        loadSql("select-request"),
        params(k),
      );
      const row = found.rows[0];
      // Released between our insert and this read: the caller may simply retry.
      if (!row) throw new ActionInProgressError(k.key);
      if (row.request_hash !== hash) throw new IdempotencyKeyReusedError(k.key);
      if (row.state !== "done" || !row.response) throw new ActionInProgressError(k.key);
      return { kind: "replay", response: row.response };
    },

    /** Stores the answer inside the decision's transaction. */
    async complete(
      tx: Sql,
      k: IdempotencyKey,
      response: ActionResponse,
      eventId: string | null,
      now: Date,
    ): Promise<void> {
      await tx.query(loadSql("complete-request"), [...params(k), JSON.stringify(response), eventId, now.toISOString()]);
    },

    /** Frees a claim whose request failed before it decided anything. */
    async release(k: IdempotencyKey): Promise<void> {
      await db.query(loadSql("release-request"), params(k));
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

import { randomBytes } from "node:crypto";
import type { Sql } from "../db/index.js";
import { OAuthStateError } from "./errors.js";
import { loadSql } from "./load-sql.js";

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
// Expired states are kept a day for clearer errors ("expired" rather than "unknown"), then purged.
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

/** Issues a one-time, unguessable OAuth `state` (256 random bits). */
export async function createOAuthState(db: Sql, now: Date): Promise<string> {
  const state = randomBytes(32).toString("base64url");
  await db.query(loadSql("delete-stale-oauth-states"), [new Date(now.getTime() - KEEP_EXPIRED_MS)]);
  await db.query(loadSql("insert-oauth-state"), [state, now, new Date(now.getTime() + OAUTH_STATE_TTL_MS)]);
  return state;
}

/**
 * Consumes a state: succeeds once, for an unexpired state this server issued.
 * @throws OAuthStateError saying whether it was missing, unknown, used or expired.
 */
export async function consumeOAuthState(db: Sql, state: string | undefined, now: Date): Promise<void> {
  if (!state) throw new OAuthStateError("missing");
  const won = await db.query(loadSql("consume-oauth-state"), [state, now]);
  if (won.rows.length === 1) return;
  const { rows } = await db.query<{ used_at: Date | null; expires_at: Date }>(loadSql("select-oauth-state"), [state]);
  const row = rows[0];
  if (!row) throw new OAuthStateError("unknown");
  if (row.used_at !== null) throw new OAuthStateError("used");
  throw new OAuthStateError("expired");
}

import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Sql } from "../db/index.js";
import { OAuthStateError } from "./errors.js";
import { loadSql } from "./load-sql.js";

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
// Used states are kept a day for clearer errors ("used" rather than "unknown"), then purged.
const KEEP_USED_MS = 24 * 60 * 60_000;

/** The HMAC key states are signed with, derived from the app's client secret (HKDF, its own info string). */
export function oauthStateKey(clientSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", clientSecret, Buffer.alloc(0), "tollgate-oauth-state", 32));
}

const mac = (key: Buffer, body: string) => createHmac("sha256", key).update(body).digest("base64url");

/**
 * Issues an OAuth `state`: 128 random bits and an expiry, signed with HMAC-SHA256 —
 * `<nonce>.<expires ms>.<mac>`. Nothing is stored: an anonymous install request writes no row.
 * The same value goes into the browser's state cookie, which binds the callback to the browser
 * that started the install.
 */
export function createOAuthState(key: Buffer, now: Date): string {
  const body = `${randomBytes(16).toString("base64url")}.${now.getTime() + OAUTH_STATE_TTL_MS}`;
  return `${body}.${mac(key, body)}`;
}

/**
 * Consumes a state: succeeds once, for an unexpired state this server signed that the same
 * browser brings back in its cookie. Only then is it written down, as used.
 * @throws OAuthStateError saying whether it was missing, unknown, from another browser, expired or used.
 */
export async function consumeOAuthState(
  db: Sql,
  key: Buffer,
  state: string | undefined,
  browserState: string | undefined,
  now: Date,
): Promise<void> {
  if (!state) throw new OAuthStateError("missing");
  const [nonce, expires, signature, extra] = state.split(".");
  const expected = nonce && expires ? Buffer.from(mac(key, `${nonce}.${expires}`)) : undefined;
  const given = Buffer.from(signature ?? "");
  if (extra !== undefined || !expected || expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new OAuthStateError("unknown");
  const same = Buffer.from(browserState ?? "");
  if (same.length !== state.length || !timingSafeEqual(same, Buffer.from(state)))
    throw new OAuthStateError("other_browser");
  if (Number(expires) <= now.getTime()) throw new OAuthStateError("expired");
  await db.query(loadSql("delete-stale-oauth-states"), [new Date(now.getTime() - KEEP_USED_MS)]);
  const won = await db.query(loadSql("insert-oauth-state"), [state, now, new Date(Number(expires))]);
  if (won.rows.length !== 1) throw new OAuthStateError("used");
}

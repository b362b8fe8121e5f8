-- Stores refreshed tokens, but only if no one else changed them since they were read
-- (compare-and-swap on token_version). No row back → someone else refreshed or uninstalled.
-- $1 tenant_id, $2 token_version read (integer), $3 access_token_enc, $4 refresh_token_enc,
-- $5 expires_at (timestamptz), $6 scopes (text[] or NULL to keep), $7 now (timestamptz)
UPDATE installations SET
  access_token_enc = $3,
  refresh_token_enc = $4,
  expires_at = $5,
  scopes = COALESCE($6, scopes),
  updated_at = $7,
  token_version = token_version + 1
 WHERE tenant_id = $1 AND token_version = $2 AND status = 'active'
RETURNING *

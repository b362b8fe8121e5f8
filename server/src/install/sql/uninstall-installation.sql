-- Marks an installation uninstalled and wipes its tokens; the row (and all data) stays.
-- $1 tenant_id (text), $2 now (timestamptz)
UPDATE installations SET
  status = 'uninstalled',
  uninstalled_at = $2,
  updated_at = $2,
  access_token_enc = NULL,
  refresh_token_enc = NULL,
  expires_at = NULL,
  token_version = token_version + 1
 WHERE tenant_id = $1 AND status <> 'uninstalled'
RETURNING *

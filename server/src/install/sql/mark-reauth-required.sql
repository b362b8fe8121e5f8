-- HubSpot refused the refresh token: the portal must reinstall. Guarded like a token update.
-- $1 tenant_id, $2 token_version read (integer), $3 now (timestamptz)
UPDATE installations SET status = 'reauth_required', updated_at = $3
 WHERE tenant_id = $1 AND token_version = $2 AND status = 'active'

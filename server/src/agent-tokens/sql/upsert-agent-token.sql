-- An agent app's (re-)install: a fresh refresh token, active again.
-- $1 tenant_id, $2 agent_id, $3 client_id, $4 refresh_token_enc, $5 now
INSERT INTO agent_app_tokens (tenant_id, agent_id, client_id, refresh_token_enc, status, installed_at)
VALUES ($1, $2, $3, $4, 'active', $5)
ON CONFLICT (tenant_id, agent_id) DO UPDATE SET
  client_id = EXCLUDED.client_id,
  refresh_token_enc = EXCLUDED.refresh_token_enc,
  status = 'active',
  installed_at = EXCLUDED.installed_at,
  revoked_at = NULL

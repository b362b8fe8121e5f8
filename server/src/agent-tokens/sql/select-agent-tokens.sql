-- The agent app tokens of these agents. $1 tenant_id, $2 agent_ids (text[])
SELECT agent_id, client_id, refresh_token_enc, status, revoked_at, last_access_expires_at
FROM agent_app_tokens WHERE tenant_id = $1 AND agent_id = ANY($2)

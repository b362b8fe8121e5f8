-- Remembers the latest expiry of an access token handed to the agent. $1 tenant_id, $2 agent_id, $3 expires_at
UPDATE agent_app_tokens
SET last_access_expires_at = GREATEST(COALESCE(last_access_expires_at, $3), $3)
WHERE tenant_id = $1 AND agent_id = $2 AND status = 'active'

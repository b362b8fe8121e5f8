-- Drops a revoked refresh token: only a new consent brings the agent back. $1 tenant_id, $2 agent_id, $3 now
UPDATE agent_app_tokens
SET refresh_token_enc = NULL, status = 'reconsent_required', revoked_at = $3
WHERE tenant_id = $1 AND agent_id = $2

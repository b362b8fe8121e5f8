-- Gives up a claim whose request failed before deciding, so a retry starts afresh.
-- $1 tenant_id, $2 agent_id, $3 idempotency_key, $4 approval_id
DELETE FROM action_requests
 WHERE tenant_id = $1 AND agent_id = $2 AND idempotency_key = $3 AND approval_id = $4 AND state = 'pending'

-- One idempotency row. $1 tenant_id, $2 agent_id, $3 idempotency_key, $4 approval_id ('' for none)
SELECT request_hash, state, response FROM action_requests
 WHERE tenant_id = $1 AND agent_id = $2 AND idempotency_key = $3 AND approval_id = $4

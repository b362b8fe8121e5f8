-- Stores the answer, in the decision's own transaction.
-- $1 tenant_id, $2 agent_id, $3 idempotency_key, $4 approval_id, $5 response (jsonb), $6 event_id, $7 now
UPDATE action_requests SET state = 'done', response = $5::jsonb, event_id = $6, completed_at = $7
 WHERE tenant_id = $1 AND agent_id = $2 AND idempotency_key = $3 AND approval_id = $4

-- A pending approval this agent already asked for, for the same verb, record and content: the
-- repeated request waits on it instead of replacing it.
-- $1 tenant_id, $2 object_type, $3 object_id, $4 action, $5 agent_id, $6 proposed_value, $7 now
SELECT id, expires_at FROM approvals
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND field = $4 AND action = $4
   AND status = 'pending' AND agent_id = $5 AND proposed_value IS NOT DISTINCT FROM $6 AND expires_at > $7

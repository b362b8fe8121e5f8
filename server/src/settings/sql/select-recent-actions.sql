-- The newest audit events of one action (policy_change, revert) in the last 30 days.
-- $1 tenant_id, $2 action, $3 limit
SELECT occurred_at, object_type, object_id, agent_id, event
  FROM audit_events
 WHERE tenant_id = $1 AND occurred_at > now() - interval '30 days' AND event->>'action' = $2
 ORDER BY id DESC
 LIMIT $3

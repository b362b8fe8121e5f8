-- An agent writing directly a field the policy routes through approval (tier 3, or an auto rule
-- it failed): the write was reverted, and it is an attempt to bypass approval.
-- $1 tenant_id, $2 from, $3 to
SELECT agent_id, count(*)::int AS attempts FROM audit_events
 WHERE tenant_id = $1 AND agent_id IS NOT NULL AND event->>'action' = 'field_write'
   AND (outcome = 'needs_approval' OR (outcome <> 'allow' AND event->'decision'->>'tier' = '3'))
   AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
 GROUP BY agent_id ORDER BY attempts DESC, agent_id

-- Agent actions decided by the policy (observations excluded). $1 tenant_id, $2 from, $3 to (exclusive)
SELECT count(*)::int AS n FROM audit_events
 WHERE tenant_id = $1 AND agent_id IS NOT NULL AND outcome IS NOT NULL AND outcome <> 'observed'
   AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
